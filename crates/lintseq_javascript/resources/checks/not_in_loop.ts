//// break outside a loop
function f(): void {
  break; // expect: not-in-loop
}
f();

//// continue in a loop
for (let i: number = 0; i < 3; i++) {
  continue;
}

//// a jump to an unknown label
while (true) {
  continue missing; // expect: not-in-loop
}

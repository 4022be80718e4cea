//// break outside a loop
function f() {
  break; // expect: not-in-loop
}
f();

//// continue in a switch but not a loop
function g(x) {
  switch (x) {
    case 1:
      continue; // expect: not-in-loop
  }
}
g(1);

//// break in a switch and continue in a loop
for (const x of [1, 2]) {
  switch (x) {
    case 1:
      break;
    default:
      continue;
  }
}

//// a jump to an unknown label
for (;;) {
  break missing; // expect: not-in-loop
}

//// continue to a label of a block
done: {
  for (;;) {
    continue done; // expect: not-in-loop
  }
}

//// break out of a function
for (;;) {
  const h = () => {
    break; // expect: not-in-loop
  };
  h();
}

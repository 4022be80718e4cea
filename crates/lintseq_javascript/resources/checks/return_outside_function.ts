//// return at the top level
const x: number = 1;
return x; // expect: return-outside-function

//// return in a method
class A {
  m(): number {
    return 1;
  }
}
new A().m();

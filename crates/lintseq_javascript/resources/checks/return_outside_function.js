//// return at the top level
const x = 1;
return x; // expect: return-outside-function

//// return inside a function
function f() {
  return 1;
}
f();

//// return in a class static block
class A {
  static {
    return; // expect: return-outside-function
  }
}
new A();

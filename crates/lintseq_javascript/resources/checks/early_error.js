//// exporting an undeclared name
export { parse }; // expect: early-error

//// exporting a declared name
function parse() {}
export { parse };

//// a private name outside its class
class A {
  #x = 1;
}
this.#x; // expect: early-error

//// with in a module
import "x";
with (Math) { // expect: early-error
  PI;
}

//// two constructors
class B {
  constructor() {} // expect: early-error
  constructor() {}
}
new B();

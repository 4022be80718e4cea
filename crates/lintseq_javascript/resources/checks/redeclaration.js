//// let declared twice
let total = 0;
let total = 1; // expect: redeclaration

//// const after let
let a = 1;
const a = 2; // expect: redeclaration

//// class after function
function Shape() {}
class Shape {} // expect: redeclaration

//// let clashing with a parameter
function f(x) {
  let x = 1; // expect: redeclaration
  return x;
}
f(1);

//// var twice is allowed
var v = 1;
var v = 2;

//// let in separate blocks is allowed
{
  let b = 1;
}
{
  let b = 2;
}

//// a duplicate label
outer: for (;;) {
  outer: for (;;) { // expect: redeclaration
    break outer;
  }
}

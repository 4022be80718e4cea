//// an unknown name
console.log(missing); // expect: no-undef

//// every occurrence is reported
missing(); // expect: no-undef
missing(); // expect: no-undef

//// globals of ES2024 and Node.js are defined
const m = new Map([[1, globalThis]]);
console.log(m, process.argv, require("fs"), __dirname, Buffer, structuredClone);

//// browser globals are not defined by default
document.title = "x"; // expect: no-undef

//// browser globals in the browser environment (browser)
document.title = window.name;

//// Node.js globals are not defined in plain ES2024 (es2024)
console.log(1); // expect: no-undef

//// typeof of an unknown name is allowed
if (typeof window !== "undefined") {
  console.log(1);
}

//// arguments inside a function
function f() {
  return arguments.length;
}
f();

//// arguments at the top level
console.log(arguments); // expect: no-undef

//// assignment to an undeclared name
counter = 1; // expect: no-undef

//// hoisted functions and var
g();
function g() {
  return v;
}
var v = 1;

//// block-scoped names are invisible outside their block
{
  let inner = 1;
}
console.log(inner); // expect: no-undef

//// parameters, destructuring and catch bindings
function h({ a, b: [c] }, ...rest) {
  try {
    return a + c + rest.length;
  } catch (err) {
    return err;
  }
}
h({ a: 1, b: [2] });

//// class members and this
class Point {
  constructor(x) {
    this.x = x;
  }
  get double() {
    return this.x * 2;
  }
}
new Point(1).double;

//// imports are declarations
import { join } from "node:path";
join("a", "b");

//// a JSX component that is not declared
const el = <Widget />; // expect: no-undef

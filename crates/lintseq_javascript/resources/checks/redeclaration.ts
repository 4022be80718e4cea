//// let declared twice
let total: number = 0;
let total: number = 1; // expect: redeclaration

//// interfaces merge
interface A {
  x: number;
}
interface A {
  y: number;
}
const a: A = { x: 1, y: 2 };
console.log(a);

//// a class declared twice
class B {}
class B {} // expect: redeclaration

//// function overloads
function f(x: number): number;
function f(x: string): string;
function f(x: any): any {
  return x;
}
f(1);

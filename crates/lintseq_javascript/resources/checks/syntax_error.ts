//// a clean program
interface Point {
  x: number;
  y: number;
}
function norm(p: Point): number {
  return Math.hypot(p.x, p.y);
}
norm({ x: 1, y: 2 });

//// an unclosed interface blames its opening line
interface Point { // expect: syntax-error
  x: number;

//// an unclosed generic call
const m = new Map<string, // expect: syntax-error

//// a type annotation without a type
let x: = 1; // expect: syntax-error

//// generics, enums, namespaces and type assertions parse
enum Color { Red, Green }
namespace Shapes {
  export const unit = 1;
}
const c = <Color>Color.Red;
const u = Shapes.unit as number;
console.log(c, u);

//// TSX is decided by the original program
const el = <div>{1}</div>;

//// an unclosed JSX element in TSX
const el = ( // expect: syntax-error
  <div>
//// original
const el = (
  <div>
  </div>
);

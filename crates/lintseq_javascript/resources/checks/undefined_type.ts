//// an unknown type
function norm(p: Point): number { // expect: undefined-type
  return Math.hypot(p.x, p.y);
}
norm({ x: 1, y: 2 });

//// lib types are known
type Opt = Partial<Record<string, number>>;
const p: Promise<ReadonlyArray<PropertyKey>> = Promise.resolve([]);
const o: Opt = {};
console.log(p, o);

//// classes, interfaces, aliases, enums and type parameters are types
interface Shape {
  area(): number;
}
type Id = string;
enum Kind { A }
class Square implements Shape {
  area(): number {
    return 1;
  }
}
function first<T>(xs: T[]): T {
  return xs[0];
}
const k: Kind = Kind.A;
const id: Id = "x";
const s: Square = new Square();
console.log(first([k, id, s]));

//// a type used in a generic argument
const xs: Array<Item> = []; // expect: undefined-type
console.log(xs);

//// implements an unknown interface
class Circle implements Round { // expect: undefined-type
  r = 1;
}
new Circle();

//// Node.js types
const t: NodeJS.Timeout = setTimeout(() => {}, 1);
const e: BufferEncoding = "utf8";
console.log(t, e);

//// a qualified name of an unknown namespace
const v: Geo.Point = { x: 1 }; // expect: undefined-type
console.log(v);

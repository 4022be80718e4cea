//// an unknown value
console.log(missing); // expect: no-undef

//// globals of ES2024 and Node.js
const m: Map<string, number> = new Map();
console.log(m, process.env, Buffer.from("x"));

//// declare makes a name known
declare const VERSION: string;
console.log(VERSION);

//// enums and namespaces are values
enum Color { Red }
namespace Util {
  export const one = 1;
}
console.log(Color.Red, Util.one);

//// import type and import
import type { Options } from "./options";
import { parse } from "./parse";
const o: Options = parse();
console.log(o);

//// typeof of an unknown value is an error in TypeScript (TS2304)
if (typeof kind !== "string") { // expect: no-undef
  console.log("no kind");
}

//// typeof in a type position needs the value
type T = typeof missing; // expect: no-undef

//// a value used only in a deleted declaration's place
const area = (r: number): number => PI * r * r; // expect: no-undef
area(1);

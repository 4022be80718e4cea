//// await in a plain function
function load(url) {
  return await fetch(url); // expect: await-outside-async
}
load("x");

//// await in an async function
async function load(url) {
  return await fetch(url);
}
load("x");

//// top-level await in a module
import { readFile } from "node:fs/promises";
const text = await readFile("x");
console.log(text);

//// top-level await in a script
const text = await fetch("x"); // expect: await-outside-async
console.log(text);

//// for await in a plain function
function drain(stream) {
  for await (const chunk of stream) { // expect: await-outside-async
    console.log(chunk);
  }
}
drain([]);

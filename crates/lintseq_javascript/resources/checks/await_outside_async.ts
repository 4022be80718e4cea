//// await in a plain function
function load(url: string): Promise<Response> {
  return await fetch(url); // expect: await-outside-async
}
load("x");

//// await in an async arrow
const load = async (url: string): Promise<Response> => await fetch(url);
load("x");

//// top-level await in a module
export const text = await fetch("x");

//// top-level await in a script
const text = await fetch("x"); // expect: await-outside-async
console.log(text);

//// a clean program
function add(a, b) {
  return a + b;
}
add(1, 2);

//// an unclosed block blames the line that opened it
function add(a, b) { // expect: syntax-error
  return a + b;

//// an unclosed call blames its opening line
console.log(1, // expect: syntax-error
  2

//// a stray closing brace
const x = 1;
} // expect: syntax-error

//// a dangling else
const y = 2;
} else { // expect: syntax-error
  y;
}

//// an incomplete expression at the end
const z = // expect: syntax-error

//// an unterminated template literal blames its start
const t = `a // expect: syntax-error
b

//// an unterminated block comment
/* start // expect: syntax-error
const q = 1;

//// a missing arrow body
const f = (a) => // expect: syntax-error

//// an invalid regular expression
const r = /(/; // expect: syntax-error

//// JSX parses
const el = <div className="a">{1}</div>;

//// an unclosed JSX element blames its opening tag
const el = (
  <div>
    <span> // expect: syntax-error
  </div> // expect: syntax-error
);

//// a hashbang line
#!/usr/bin/env node
console.log(1);

//// private class members
class Counter {
  #count = 0;
  inc() { return ++this.#count; }
}
new Counter();

//! `early-error`.
//!
//! **What it flags:** every other error oxc's semantic analysis reports:
//! exports of undeclared names, private names used outside their class,
//! duplicate constructors, `super` where it cannot be, strict-mode
//! restrictions (`with`, legacy octal literals, `delete` of a plain name),
//! misplaced `import`/`export`, and TypeScript's grammar errors.
//!
//! **Why:** the ECMAScript specification calls these early errors: ESLint's
//! parser refuses such a file as it refuses one that does not parse, and
//! tsc reports most of them among its diagnostics. A partial program gets
//! one when, say, it loses the declaration an `export { name }` names, or
//! the class around a private field access.
//!
//! **Example:**
//! ```js
//! export { parse };
//! ```
//! is reported on line 1 (`parse` is not declared).

pub(crate) const CODE: &str = "early-error";

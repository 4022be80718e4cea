//! `return-outside-function`.
//!
//! **What it flags:** a `return` statement that is not inside a function
//! body (at the top level of a script or module, or in a class static
//! block).
//!
//! **Why:** it is a syntax error in both modes (ESLint is not configured
//! for CommonJS's global return); a partial program gets one when the line
//! that opened the enclosing function is deleted without its body, which
//! the block structure prevents, or blamed on its own.
//!
//! **Example:**
//! ```js
//! const x = 1;
//! return x;
//! ```
//! is reported on line 2.

pub(crate) const CODE: &str = "return-outside-function";

pub(crate) fn claims(message: &str) -> bool {
    message.starts_with("A 'return' statement")
}

//! E1102 not-callable, on literals.
//!
//! **What it flags:** a call of an expression whose value is evidently not
//! callable: a number, string, bytes, `None`, `True`, `...`, a tuple, list,
//! dict or set display (without `*` unpacking), or what pylint computes from
//! them: `-1`, `not x`-style negations of literals, `1 + 2`, `"a" * 3`,
//! comparisons of literals, `a if c else b` with both branches of one type,
//! `(1, 2)[0]`, `"abc"[0]`. Calls of names bound to such values are
//! `value_misuse`'s.
//!
//! **Why:** when the quote lines of a docstring are deleted, its text
//! becomes code; an example such as `() (0, 1, 2)` then calls a tuple.
//!
//! **Example:**
//! ```python
//! def pairs():
//!     () (0, 1, 2) (3, 4, 5, 6)
//! ```
//! is reported on line 2 ("() is not callable").

use lintseq_core::Diagnostic;
use ruff_python_ast::token::parenthesized_range;
use ruff_text_size::Ranged;

use crate::calls::CallSite;
use crate::context::Context;
use crate::literal::infer;

pub(crate) fn check(context: &Context<'_>, sites: &[CallSite<'_>], out: &mut Vec<Diagnostic>) {
    for site in sites {
        let call = site.call;
        if infer(&call.func).is_none() {
            continue;
        }
        // Python places a call where its callee starts, parentheses included.
        let start = parenthesized_range((&*call.func).into(), call.into(), context.tokens)
            .map_or(call.func.start(), |range| range.start());
        let text = &context.source[call.func.range()];
        out.push(context.diagnostic(start, "E1102", format!("{text} is not callable")));
    }
}

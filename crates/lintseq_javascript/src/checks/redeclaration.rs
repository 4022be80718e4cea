//! `redeclaration`.
//!
//! **What it flags:** a name declared twice in one scope where the language
//! forbids it: `let`, `const` or `class` declared again (by any
//! declaration) in the same block, a lexical declaration that clashes with a
//! `var` or a parameter, an import bound twice, a label declared inside a
//! statement with the same label.
//!
//! **Why:** these are early errors; ESLint's parser rejects the file and tsc
//! reports TS2451/TS2300. A partial program gets one when the braces that
//! kept two declarations in separate blocks are gone.
//!
//! **Example:**
//! ```js
//! let total = 0;
//! let total = 1;
//! ```
//! is reported on line 2, the redeclaration.

use oxc_diagnostics::OxcDiagnostic;

pub(crate) const CODE: &str = "redeclaration";

pub(crate) fn claims(message: &str) -> bool {
    message.ends_with("has already been declared")
}

/// The second declaration: oxc labels the first, then the redeclaration.
pub(crate) fn blamed_offset(diagnostic: &OxcDiagnostic) -> Option<u32> {
    diagnostic.labels.last().map(|label| label.offset())
}

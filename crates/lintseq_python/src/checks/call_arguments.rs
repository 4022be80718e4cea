//! E1120 no-value-for-parameter, E1121 too-many-function-args, E1123
//! unexpected-keyword-arg, E1124 redundant-keyword-arg, E1125 missing-kwoa.
//!
//! **What it flags:** a call whose arguments do not fit the signature of the
//! function it calls, when this program defines that function (a plain
//! function, a method called through `self`, or a class whose `__init__`
//! it defines). For callees it cannot see (imports, attributes of unknown
//! objects), a call that passes less than the same call did in the original
//! program is flagged, since the arguments it lost may be required.
//!
//! **Why:** deleting an argument line of a multi-line call, or a parameter
//! line of a multi-line `def`, leaves calls that pylint rejects.
//!
//! **Example:**
//! ```python
//! def area(width, height):
//!     return width * height
//! area(
//!     3,
//! )
//! ```
//! is reported on line 3 ("No value for argument 'height'").

use lintseq_core::Diagnostic;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::calls::{CallShape, CallSite, Callee, Resolver, callee_key};
use crate::context::Context;

pub(crate) fn check(
    context: &Context<'_>,
    sites: &[CallSite<'_>],
    resolver: &Resolver<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        match resolver.callee(site) {
            Callee::Function { def, bound, kind } => {
                check_signature(context, site.call, def, bound, kind, out)
            }
            Callee::Builtin => {}
            Callee::Unknown => check_against_original(context, site.call, out),
        }
    }
}

fn check_signature(
    context: &Context<'_>,
    call: &ast::ExprCall,
    def: &ast::StmtFunctionDef,
    bound: bool,
    kind: &str,
    out: &mut Vec<Diagnostic>,
) {
    let parameters = &def.parameters;
    let arguments = &call.arguments;
    let star = arguments.args.iter().any(|a| matches!(a, Expr::Starred(_)));
    let double_star = arguments.keywords.iter().any(|k| k.arg.is_none());
    let mut positional: Vec<&ast::ParameterWithDefault> = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .collect();
    if bound {
        if positional.is_empty() {
            // No room for the receiver: E0211 reports the definition.
            return;
        }
        positional.remove(0);
    }
    let mut report = |code: &'static str, message: String| {
        out.push(context.diagnostic(call.start(), code, message));
    };
    let given = arguments
        .args
        .iter()
        .filter(|a| !matches!(a, Expr::Starred(_)))
        .count();
    if given > positional.len() && parameters.vararg.is_none() && !star {
        report(
            "E1121",
            format!("Too many positional arguments for {kind} call"),
        );
    }
    let mut filled: Vec<bool> = (0..positional.len()).map(|i| i < given).collect();
    let mut kw_filled: Vec<bool> = vec![false; parameters.kwonlyargs.len()];
    for keyword in &arguments.keywords {
        let Some(name) = &keyword.arg else {
            continue;
        };
        let name = name.as_str();
        if let Some(at) = positional.iter().position(|p| p.name().as_str() == name) {
            let positional_only = at + usize::from(bound) < parameters.posonlyargs.len();
            if positional_only {
                if parameters.kwarg.is_none() {
                    report(
                        "E1123",
                        format!("Unexpected keyword argument '{name}' in {kind} call"),
                    );
                }
            } else if filled[at] {
                report(
                    "E1124",
                    format!("Argument '{name}' passed by position and keyword in {kind} call"),
                );
            } else {
                filled[at] = true;
            }
        } else if let Some(at) = parameters
            .kwonlyargs
            .iter()
            .position(|p| p.name().as_str() == name)
        {
            kw_filled[at] = true;
        } else if parameters.kwarg.is_none() {
            report(
                "E1123",
                format!("Unexpected keyword argument '{name}' in {kind} call"),
            );
        }
    }
    if star || double_star {
        return;
    }
    for (parameter, filled) in positional.iter().zip(&filled) {
        if !filled && parameter.default.is_none() {
            report(
                "E1120",
                format!(
                    "No value for argument '{}' in {kind} call",
                    parameter.name().as_str()
                ),
            );
        }
    }
    for (parameter, filled) in parameters.kwonlyargs.iter().zip(&kw_filled) {
        if !filled && parameter.default.is_none() {
            report(
                "E1125",
                format!(
                    "Missing mandatory keyword argument '{}' in {kind} call",
                    parameter.name().as_str()
                ),
            );
        }
    }
}

/// A call to something we cannot see must pass at least what one of the
/// original program's calls of the same callee passed.
fn check_against_original(context: &Context<'_>, call: &ast::ExprCall, out: &mut Vec<Diagnostic>) {
    let Some(callee) = callee_key(context.source, call) else {
        return;
    };
    let Some(versions) = context.baseline.calls.get(callee) else {
        return;
    };
    let shape = CallShape::of(call);
    if !versions.iter().any(|version| shape.covers(version)) {
        out.push(context.diagnostic(
            call.start(),
            "E1120",
            format!("Call of {callee} passes fewer arguments than the original program did"),
        ));
    }
}

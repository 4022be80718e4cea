//! Using a name whose value cannot do what is asked of it: E1133
//! not-an-iterable, E1135 unsupported-membership-test, E1136
//! unsubscriptable-object, E1137 unsupported-assignment-operation, E1138
//! unsupported-delete-operation, E0633 unpacking-non-sequence, E0702
//! raising-bad-type, E1102 not-callable, E1129 not-context-manager.
//!
//! **What it flags:** a name iterated, tested with `in`, subscripted,
//! unpacked, raised, called or used in `with`, when every binding that can
//! reach it assigns a literal (`None`, a number, a string, a list, ...)
//! whose type does not support that.
//!
//! **Why:** pylint infers these values. Code often starts a variable as
//! `None` and assigns the real value later; delete the later assignment and
//! `for item in result:` iterates over `None`.
//!
//! **Example:**
//! ```python
//! def f():
//!     result = None
//!     for item in result:
//!         print(item)
//! ```
//! is reported on line 3 (E1133).

use lintseq_core::Diagnostic;

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::assignment_from_no_return::{Returns, body_without_docstring};
use super::special_method_return::single_return;
use crate::calls::{CallSite, Callee, Resolver, callee_text};
use crate::classes::Classes;
use crate::context::Context;
use crate::literal;
use crate::semantic::{Usage, Value};

/// Calls of this program's functions that return nothing, used as values.
pub(crate) fn check_calls(
    context: &Context<'_>,
    sites: &[CallSite<'_>],
    resolver: &Resolver<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        let Some(rule) = rule(site.usage) else {
            continue;
        };
        if !matches!(
            site.usage,
            Usage::Iterated | Usage::Subscripted | Usage::Unpacked | Usage::Contained
        ) {
            continue;
        }
        let Callee::Function { def, .. } = resolver.callee(site) else {
            continue;
        };
        if def.is_async || !def.decorator_list.is_empty() || returns_something(def) {
            continue;
        }
        let name = callee_text(context.source, site.call);
        let message = rule
            .message
            .replace("{name}", &format!("{name}()"))
            .replace("{type}", "NoneType");
        out.push(context.diagnostic(site.call.start(), rule.code, message));
    }
}

/// `self(...)` in a method of a class without `__call__`, and
/// `self.prop(...)` where `prop` is a property whose getter returns `None`
/// or a literal (a decorator line left behind by a deleted `def` can turn a
/// method into a property).
pub(crate) fn check_receiver_calls(
    context: &Context<'_>,
    classes: &Classes<'_>,
    sites: &[CallSite<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        let (Some(index), Some(receiver)) = (site.class, site.receiver) else {
            continue;
        };
        if site.receiver_is_class {
            continue;
        }
        let func = site.call.func.as_ref();
        let not_callable = match func {
            // pylint infers the instance only for a receiver named `self`.
            Expr::Name(name) if name.id.as_str() == receiver && receiver == "self" => {
                !instances_callable(context, classes, index)
            }
            Expr::Attribute(attribute) if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == receiver) => {
                classes
                    .only_method(index, attribute.attr.as_str())
                    .is_some_and(property_not_callable)
            }
            _ => false,
        };
        if not_callable {
            let name = callee_text(context.source, site.call);
            out.push(context.diagnostic(
                site.call.start(),
                "E1102",
                format!("{name} is not callable"),
            ));
        }
    }
}

/// Whether instances of the class may be callable: it or an ancestor
/// defines `__call__`, or an unknown ancestor may (unless the original class
/// defined `__call__` itself, and so did not rely on one).
fn instances_callable(context: &Context<'_>, classes: &Classes<'_>, index: usize) -> bool {
    if classes.attributes(index).contains("__call__") {
        return true;
    }
    let class = &classes.all[index];
    let dynamic = class.own.contains("__getattr__") || !class.def.decorator_list.is_empty();
    if dynamic || !classes.fully_known(index) {
        return dynamic
            || !context
                .baseline
                .class_attributes
                .get(&class.qualname)
                .is_some_and(|original| original.contains("__call__"));
    }
    false
}

/// A `@property` whose getter evidently returns `None` or a literal.
fn property_not_callable(def: &ruff_python_ast::StmtFunctionDef) -> bool {
    let [decorator] = def.decorator_list.as_slice() else {
        return false;
    };
    if !matches!(&decorator.expression, Expr::Name(n) if n.id.as_str() == "property") {
        return false;
    }
    let mut returns = Returns::default();
    returns.visit_body(&def.body);
    if returns.yields {
        return false;
    }
    let body = body_without_docstring(def);
    if matches!(body.first(), Some(Stmt::Raise(_))) {
        return false;
    }
    if returns.values == 0 {
        return returns.nones <= 1;
    }
    returns.values == 1
        && returns.nones == 0
        && single_return(&def.body).is_some_and(|value| literal::infer(value).is_some())
}

/// Whether a function returns a value, yields, or only raises.
fn returns_something(def: &ruff_python_ast::StmtFunctionDef) -> bool {
    let mut returns = Returns::default();
    returns.visit_body(&def.body);
    let body = body_without_docstring(def);
    returns.values > 0
        || returns.yields
        || matches!(body.first(), None | Some(Stmt::Raise(_) | Stmt::Pass(_)))
}

/// `self.X` used where every value the class stores in it cannot be used so.
pub(crate) fn check_attributes(
    context: &Context<'_>,
    classes: &Classes<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (index, class) in classes.all.iter().enumerate() {
        let lineage = classes.lineage(index);
        for read in &class.reads {
            let Some(rule) = rule(read.usage) else {
                continue;
            };
            // astroid infers `self.x` from the instance's stores alone when
            // there are any: class-level values and methods of that name
            // do not count.
            let values: Vec<Value> = lineage
                .iter()
                .flat_map(|&i| {
                    classes.all[i]
                        .stores
                        .iter()
                        .chain(&classes.all[i].class_stores)
                })
                .filter(|store| store.name == read.name)
                .map(|store| store.value)
                .collect();
            if values.is_empty() || !values.iter().all(|&value| (rule.lacks)(value)) {
                continue;
            }
            let name = format!("self.{}", read.name);
            let message = rule
                .message
                .replace("{name}", &name)
                .replace("{type}", values[values.len() - 1].type_name());
            out.push(context.diagnostic(read.offset, rule.code, message));
        }
    }
}

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.references {
        let Some(rule) = rule(reference.usage) else {
            continue;
        };
        let Some(values) = context.model.reaching_values(reference) else {
            continue;
        };
        if values.iter().all(|&value| (rule.lacks)(value)) {
            let value = values[values.len() - 1].type_name();
            let message = rule
                .message
                .replace("{name}", reference.name)
                .replace("{type}", value);
            out.push(context.diagnostic(reference.offset, rule.code, message));
        }
    }
}

struct Rule {
    code: &'static str,
    message: &'static str,
    /// Whether a value of this kind cannot be used this way.
    lacks: fn(Value) -> bool,
}

fn rule(usage: Usage<'_>) -> Option<Rule> {
    let (code, message, lacks): (_, _, fn(Value) -> bool) = match usage {
        Usage::Iterated => (
            "E1133",
            "Non-iterable value {name} is used in an iterating context",
            scalar,
        ),
        Usage::Contained => (
            "E1135",
            "Value '{name}' doesn't support membership test",
            scalar,
        ),
        Usage::Subscripted => ("E1136", "Value '{name}' is unsubscriptable", |v| {
            scalar(v) || v == Value::Set
        }),
        Usage::SubscriptStored => ("E1137", "'{name}' does not support item assignment", |v| {
            !matches!(v, Value::List | Value::Dict | Value::Unknown)
        }),
        Usage::SubscriptDeleted => ("E1138", "'{name}' does not support item deletion", |v| {
            !matches!(v, Value::List | Value::Dict | Value::Unknown)
        }),
        Usage::Unpacked => ("E0633", "Attempting to unpack a non-sequence", scalar),
        Usage::Raised => (
            "E0702",
            "Raising {type} while only classes or instances are allowed",
            |v| v != Value::Unknown,
        ),
        Usage::Called => ("E1102", "{name} is not callable", |v| v != Value::Unknown),
        Usage::Entered => (
            "E1129",
            "Context manager '{type}' doesn't implement __enter__ and __exit__.",
            |v| v != Value::Unknown,
        ),
        Usage::Plain | Usage::Attribute(_) => return None,
    };
    Some(Rule {
        code,
        message,
        lacks,
    })
}

/// `None` and numbers: no iteration, membership, subscripts or unpacking.
fn scalar(value: Value) -> bool {
    matches!(value, Value::None | Value::Int | Value::Float)
}

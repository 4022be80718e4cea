//! E1305 too-many-format-args and E1306 too-few-format-args.
//!
//! **What it flags:** `"..." % (a, b, ...)` and `"...".format(a, b, ...)`
//! where the literal string asks for a different number of positional
//! values than the literal tuple (or argument list) supplies.
//!
//! **Why:** a multi-line tuple after `%` loses an element when one of its
//! lines is deleted; pylint counts the conversions.
//!
//! **Example:**
//! ```python
//! text = "%s-%s" % (
//!     year,
//! )
//! ```
//! is reported on line 1.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Operator};
use ruff_text_size::Ranged;

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker { context, out };
    walker.visit_body(&context.module.body);
}

struct Walker<'c, 'a> {
    context: &'c Context<'a>,
    out: &'c mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    fn compare(&mut self, expr: &Expr, wanted: usize, given: usize) {
        let (code, message) = match given.cmp(&wanted) {
            std::cmp::Ordering::Less => ("E1306", "Not enough arguments for format string"),
            std::cmp::Ordering::Greater => ("E1305", "Too many arguments for format string"),
            std::cmp::Ordering::Equal => return,
        };
        self.out.push(
            self.context
                .diagnostic(expr.start(), code, message.to_string()),
        );
    }
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::BinOp(binop) if binop.op == Operator::Mod => {
                if let (Expr::StringLiteral(format), Expr::Tuple(values)) =
                    (binop.left.as_ref(), binop.right.as_ref())
                {
                    let starred = values.iter().any(|v| matches!(v, Expr::Starred(_)));
                    if let (Some(wanted), false) =
                        (percent_conversions(format.value.to_str()), starred)
                    {
                        self.compare(expr, wanted, values.len());
                    }
                }
            }
            Expr::Call(call) => {
                if let Expr::Attribute(attribute) = call.func.as_ref()
                    && attribute.attr.as_str() == "format"
                    && let Expr::StringLiteral(format) = attribute.value.as_ref()
                {
                    check_format_call(self, expr, format.value.to_str(), &call.arguments);
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

fn check_format_call(
    walker: &mut Walker<'_, '_>,
    expr: &Expr,
    format: &str,
    arguments: &ast::Arguments,
) {
    if arguments.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
        return;
    }
    let Some(wanted) = format_fields(format) else {
        return;
    };
    walker.compare(expr, wanted, arguments.args.len());
}

/// The number of values a `%` format takes from a tuple; `None` when it
/// takes a mapping or cannot be read.
fn percent_conversions(format: &str) -> Option<usize> {
    let mut count = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.peek() {
            Some('%') => {
                chars.next();
                continue;
            }
            Some('(') => return None,
            None => return None,
            _ => {}
        }
        // Flags, width, precision, length, then the conversion character.
        loop {
            let next = chars.next()?;
            match next {
                '*' => count += 1,
                '-' | '+' | ' ' | '#' | '0'..='9' | '.' | 'h' | 'l' | 'L' => {}
                c if c.is_ascii_alphabetic() => break,
                _ => return None,
            }
        }
        count += 1;
    }
    Some(count)
}

/// The number of positional values a `str.format` string takes; `None`
/// when it names fields or mixes styles.
fn format_fields(format: &str) -> Option<usize> {
    let mut auto = 0;
    let mut highest: Option<usize> = None;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
            }
            '{' => {
                let mut field = String::new();
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    field.push(c);
                }
                if field.contains('{') {
                    return None;
                }
                let name: String = field
                    .chars()
                    .take_while(|c| !matches!(c, '.' | '[' | '!' | ':'))
                    .collect();
                if name.is_empty() {
                    auto += 1;
                } else if let Ok(index) = name.parse::<usize>() {
                    highest = Some(highest.map_or(index, |h| h.max(index)));
                } else {
                    return None;
                }
            }
            _ => {}
        }
    }
    match (auto, highest) {
        (0, None) => Some(0),
        (n, None) => Some(n),
        (0, Some(h)) => Some(h + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_percent_conversions() {
        assert_eq!(percent_conversions("%s-%d %%"), Some(2));
        assert_eq!(percent_conversions("%04d-%02d %*d"), Some(4));
        assert_eq!(percent_conversions("%(a)s"), None);
    }

    #[test]
    fn counts_format_fields() {
        assert_eq!(format_fields("{} {}"), Some(2));
        assert_eq!(format_fields("{0} {1} {0}"), Some(2));
        assert_eq!(format_fields("{{}} {}"), Some(1));
        assert_eq!(format_fields("{name}"), None);
        assert_eq!(format_fields("{:>{width}}"), None);
    }
}

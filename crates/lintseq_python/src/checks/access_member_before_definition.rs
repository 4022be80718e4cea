//! E0203 access-member-before-definition.
//!
//! **What it flags:** `self.X` read in a method before that method's first
//! `self.X = ...`, when that method is the only one assigning `X` and
//! neither the class body nor a known ancestor defines it.
//!
//! **Why:** deleting the first of several assignments to an attribute in
//! `__init__` leaves a later `self.X = self.X + 1` reading it first; pylint
//! reports it.
//!
//! **Example:**
//! ```python
//! class A:
//!     def __init__(self):
//!         self.count = self.count + 1
//! ```
//! is reported on line 3.

use lintseq_core::Diagnostic;
use rustc_hash::FxHashMap;

use crate::classes::Classes;
use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for (index, class) in classes.all.iter().enumerate() {
        if class.stores.is_empty() || class.reads.is_empty() {
            continue;
        }
        // The first store of each attribute per frame, and in how many frames.
        let mut first: FxHashMap<&str, (u32, u32, usize)> = FxHashMap::default();
        for store in &class.stores {
            let line = context.lines.line(store.offset);
            first
                .entry(store.name)
                .and_modify(|(frame, first_line, frames)| {
                    if *frame != store.frame {
                        *frames += 1;
                    } else {
                        *first_line = (*first_line).min(line);
                    }
                })
                .or_insert((store.frame, line, 1));
        }
        let lineage = classes.lineage(index);
        for read in &class.reads {
            let Some(&(frame, line, frames)) = first.get(read.name) else {
                continue;
            };
            if frames != 1 || frame != read.frame {
                continue;
            }
            let read_line = context.lines.line(read.offset);
            if read_line >= line {
                continue;
            }
            // Defined at class level, or by an ancestor: not this check's.
            let class_level = class_names(classes, &lineage).any(|name| name == read.name);
            let inherited = lineage[1..]
                .iter()
                .any(|&i| classes.all[i].stores.iter().any(|s| s.name == read.name));
            if class_level || inherited {
                continue;
            }
            out.push(context.diagnostic(
                read.offset,
                "E0203",
                format!(
                    "Access to member '{}' before its definition line {line}",
                    read.name
                ),
            ));
        }
    }
}

/// Names bound at class level in the class or its known ancestors.
fn class_names<'c, 'a>(
    classes: &'c Classes<'a>,
    lineage: &'c [usize],
) -> impl Iterator<Item = &'a str> + 'c {
    lineage
        .iter()
        .flat_map(move |&i| classes.all[i].class_level.iter().copied())
}

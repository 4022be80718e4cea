//! E1101 no-member, for attributes read from a class of this program
//! (`cls.X` in a class method, or `ClassName.X`).
//!
//! **What it flags:** a read of `X` from the class object when neither the
//! class body, nor `cls.X = ...` in a class method, nor a known ancestor
//! defines it. With an ancestor we cannot see, only attributes the class
//! defined in the original program are flagged. Classes with a metaclass,
//! `__getattr__` or "mixin" names are not checked.
//!
//! **Why:** deleting a class-level constant or a method leaves
//! `cls.CONSTANT` and `ClassName.method` reading members pylint cannot find.
//!
//! **Example:**
//! ```python
//! class Registry:
//!     @classmethod
//!     def get(cls, key):
//!         return cls.entries[key]
//! ```
//! is reported on line 4.

use lintseq_core::Diagnostic;
use ruff_text_size::TextSize;

use crate::classes::{Classes, OBJECT_MEMBERS};
use crate::context::Context;
use crate::semantic::{Definition, Usage};

/// Attributes every class object has, beyond those of its instances.
const TYPE_MEMBERS: &[&str] = &[
    "__name__",
    "__qualname__",
    "__mro__",
    "__bases__",
    "__base__",
    "__subclasses__",
    "mro",
    "__annotations__",
    "__abstractmethods__",
    "__text_signature__",
    "__call__",
    "__instancecheck__",
    "__subclasscheck__",
    "__prepare__",
    "__basicsize__",
    "__flags__",
    "__itemsize__",
    "__dictoffset__",
    "__weakrefoffset__",
    "__type_params__",
];

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    let mut reads: Vec<(usize, TextSize, &str)> = Vec::new();
    for (index, class) in classes.all.iter().enumerate() {
        reads.extend(
            class
                .class_reads
                .iter()
                .map(|read| (index, read.offset, read.name)),
        );
    }
    for reference in &context.model.references {
        let Usage::Attribute(attribute) = reference.usage else {
            continue;
        };
        if let Some(Definition::Class(def)) = context.model.unique_definition(reference)
            && let Some(index) = classes.index_of(def)
        {
            reads.push((index, reference.offset, attribute));
        }
    }
    for (index, offset, name) in reads {
        let class = &classes.all[index];
        if class.name().contains("mixin") || class.name().contains("Mixin") {
            continue;
        }
        let lineage = classes.lineage(index);
        let special = lineage.iter().any(|&i| {
            let class = &classes.all[i];
            class.own.contains("__getattr__")
                || class.own.contains("__getattribute__")
                || class
                    .def
                    .arguments
                    .as_ref()
                    .is_some_and(|a| !a.keywords.is_empty())
        });
        if special || OBJECT_MEMBERS.contains(&name) || TYPE_MEMBERS.contains(&name) {
            continue;
        }
        if classes.class_attributes(index).contains(name) {
            continue;
        }
        if !classes.fully_known(index) {
            let original = context
                .baseline
                .class_object_attributes
                .get(&class.qualname);
            if !original.is_some_and(|original| original.contains(name)) {
                continue;
            }
        }
        out.push(context.diagnostic(
            offset,
            "E1101",
            format!("Class '{}' has no '{name}' member", class.name()),
        ));
    }
}

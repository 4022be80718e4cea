//! What the checker learns from the original program.

use ruff_python_ast::PythonVersion;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{Mode, ParseOptions, parse_unchecked};
use ruff_text_size::Ranged;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::calls::{CallShape, call_sites, callee_key};
use crate::checks::super_init_not_called::base_inits_called;
use crate::classes::Classes;
use crate::imports;
use crate::nesting;
use crate::semantic;

/// Facts about the whole program that a partial program may no longer show.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// The program's own indent unit: the whitespace of its first indented
    /// block (`"    "`, `"  "`, `"\t"`, ...).
    pub(crate) indent_unit: Option<String>,
    /// For each class (by qualified name), the attributes it and its known
    /// ancestors define in the original program. A class with bases we
    /// cannot see may inherit anything else; these it surely has not.
    pub(crate) class_attributes: FxHashMap<String, FxHashSet<String>>,
    /// For each class, the attributes of the class object in the original.
    pub(crate) class_object_attributes: FxHashMap<String, FxHashSet<String>>,
    /// Classes whose `__init__` calls a base `__init__` in the original,
    /// with the bases it calls by name (`Base.__init__(self)`).
    pub(crate) init_calls_base: FxHashMap<String, Vec<String>>,
    /// The calls of the original program, by callee text.
    pub(crate) calls: FxHashMap<String, Vec<CallShape>>,
    /// Every name the original program binds, with the path of the scope
    /// binding it (see `Model::path`).
    pub(crate) bound_names: FxHashMap<String, Vec<String>>,
    /// The absolute modules the original program's import statements name
    /// (see `imports::sites::modules_named`): in the default import mode
    /// these are the modules known to resolve, with the standard library.
    pub(crate) imported_modules: FxHashSet<String>,
}

impl Baseline {
    /// Learns from `program` (which need not be valid).
    pub fn learn(program: &str, version: PythonVersion) -> Self {
        // A program that CPython cannot tokenize teaches nothing.
        if nesting::too_many_brackets(program).is_some() {
            return Self::default();
        }
        nesting::with_stack_for(program.len(), || Self::learn_here(program, version))
    }

    fn learn_here(program: &str, version: PythonVersion) -> Self {
        let options = ParseOptions::from(Mode::Module).with_target_version(version);
        let parsed = parse_unchecked(program, options);
        let indent_unit = parsed
            .tokens()
            .iter()
            .find(|token| token.kind() == TokenKind::Indent)
            .map(|token| program[token.range()].to_string())
            .filter(|unit| !unit.is_empty());
        let mut baseline = Self {
            indent_unit,
            ..Self::default()
        };
        // A module nested too deeply to analyse teaches nothing.
        let deep = parsed
            .syntax()
            .as_module()
            .is_some_and(|module| nesting::too_deep(module).is_some());
        if let Some(module) = parsed.syntax().as_module().filter(|_| !deep) {
            let classes = Classes::collect(&module.body);
            for (index, class) in classes.all.iter().enumerate() {
                let attributes = classes
                    .attributes(index)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                baseline
                    .class_attributes
                    .insert(class.qualname.clone(), attributes);
                let class_attributes = classes
                    .class_attributes(index)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                baseline
                    .class_object_attributes
                    .insert(class.qualname.clone(), class_attributes);
                if let Some(named) = class.init.and_then(base_inits_called) {
                    baseline
                        .init_calls_base
                        .insert(class.qualname.clone(), named);
                }
            }
            for site in call_sites(&module.body, &classes) {
                let Some(callee) = callee_key(program, site.call) else {
                    continue;
                };
                let shape = CallShape::of(site.call);
                let versions = baseline.calls.entry(callee.to_string()).or_default();
                if !versions.contains(&shape) {
                    versions.push(shape);
                }
            }
            baseline.imported_modules = imports::sites::modules_named(&module.body);
            let model = semantic::build(module, program);
            for (index, scope) in model.scopes.iter().enumerate() {
                // Comprehensions and lambdas have no stable name.
                if index > 0 && scope.name.is_none() {
                    continue;
                }
                let path = model.path(semantic::ScopeId(index as u32));
                for (name, symbol) in &scope.symbols {
                    // `global x; x = 1` binds the module's `x`, and
                    // `nonlocal` an enclosing function's.
                    if symbol.global || symbol.nonlocal.is_some() {
                        continue;
                    }
                    if symbol.parameter || symbol.is_bound_here() {
                        baseline
                            .bound_names
                            .entry(name.to_string())
                            .or_default()
                            .push(path.clone());
                    }
                }
            }
        }
        baseline
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::MAX_CALLEE_KEY;

    #[test]
    fn long_callees_are_not_learned() {
        // Found while fuzzing, by a 60 KiB seed `f()()…()`: every call's
        // callee is the whole chain before it, and learning each as a key
        // took 5.5 s and 900 MB. Callees longer than the key limit are not
        // learned (nor looked up).
        let arguments: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let program = format!("x = g({})()\nobj.method(1, key=2)\n", arguments.join(", "));
        let baseline = Baseline::learn(&program, PythonVersion::PY311);
        let mut keys: Vec<&str> = baseline.calls.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["g", "obj.method"]);
        assert!(program.len() > MAX_CALLEE_KEY);
        assert_eq!(baseline.calls["obj.method"][0].keywords, ["key"]);
    }
}

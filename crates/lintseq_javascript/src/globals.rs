//! The names a program may use without declaring them.
//!
//! ES2024's global object, and per [`Env`] the globals of Node.js and of
//! browsers. Each list is deliberately no larger than what ESLint's
//! reference configuration (the `globals` package's `es2024`, `node` and
//! `browser` sets) and TypeScript's `lib.es2024` with `@types/node` define:
//! a name we do not know is an error we report and the reference might not,
//! which only costs a deletion; a name we knew and the reference did not
//! would be an error we let through. `bench/globals_check.py` compares the
//! lists with the reference's.
//!
//! TypeScript adds the global *types* of its standard library (`Record`,
//! `Partial`, `PromiseLike`, ...), which no JavaScript program can name.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

/// The environments whose globals are defined, besides ES2024's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Env {
    pub node: bool,
    pub browser: bool,
}

impl Default for Env {
    /// Node.js: where HumanEval-X's JavaScript and most npm code runs.
    fn default() -> Self {
        Self {
            node: true,
            browser: false,
        }
    }
}

impl Env {
    /// ES2024's globals only.
    pub const NONE: Env = Env {
        node: false,
        browser: false,
    };
}

impl fmt::Display for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.node, self.browser) {
            (false, false) => f.write_str("es2024"),
            (true, false) => f.write_str("node"),
            (false, true) => f.write_str("browser"),
            (true, true) => f.write_str("node,browser"),
        }
    }
}

/// An environment list that is not `es2024`, `node`, `browser` or a comma
/// list of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEnv(pub String);

impl fmt::Display for UnknownEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown environment {:?}; expected es2024, node, browser, or a comma list of them",
            self.0
        )
    }
}

impl std::error::Error for UnknownEnv {}

impl FromStr for Env {
    type Err = UnknownEnv;

    fn from_str(text: &str) -> Result<Self, UnknownEnv> {
        let mut env = Env::NONE;
        for part in text.split(',').map(str::trim) {
            match part {
                "node" => env.node = true,
                "browser" => env.browser = true,
                "es2024" | "none" => {}
                _ => return Err(UnknownEnv(text.to_string())),
            }
        }
        Ok(env)
    }
}

/// ES2024's global object (ECMA-262, 15th edition, clause 19).
pub const ES2024: &[&str] = &[
    "AggregateError",
    "Array",
    "ArrayBuffer",
    "Atomics",
    "BigInt",
    "BigInt64Array",
    "BigUint64Array",
    "Boolean",
    "DataView",
    "Date",
    "decodeURI",
    "decodeURIComponent",
    "encodeURI",
    "encodeURIComponent",
    "Error",
    "escape",
    "eval",
    "EvalError",
    "FinalizationRegistry",
    "Float32Array",
    "Float64Array",
    "Function",
    "globalThis",
    "Infinity",
    "Int16Array",
    "Int32Array",
    "Int8Array",
    "Intl",
    "isFinite",
    "isNaN",
    "JSON",
    "Map",
    "Math",
    "NaN",
    "Number",
    "Object",
    "parseFloat",
    "parseInt",
    "Promise",
    "Proxy",
    "RangeError",
    "ReferenceError",
    "Reflect",
    "RegExp",
    "Set",
    "SharedArrayBuffer",
    "String",
    "Symbol",
    "SyntaxError",
    "TypeError",
    "Uint16Array",
    "Uint32Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "undefined",
    "unescape",
    "URIError",
    "WeakMap",
    "WeakRef",
    "WeakSet",
];

/// Node.js's documented globals (CommonJS module scope included).
pub const NODE: &[&str] = &[
    "__dirname",
    "__filename",
    "AbortController",
    "AbortSignal",
    "atob",
    "Blob",
    "BroadcastChannel",
    "btoa",
    "Buffer",
    "clearImmediate",
    "clearInterval",
    "clearTimeout",
    "console",
    "crypto",
    "DOMException",
    "Event",
    "EventTarget",
    "exports",
    "fetch",
    "FormData",
    "global",
    "Headers",
    "MessageChannel",
    "MessageEvent",
    "MessagePort",
    "module",
    "performance",
    "process",
    "queueMicrotask",
    "ReadableStream",
    "Request",
    "require",
    "Response",
    "setImmediate",
    "setInterval",
    "setTimeout",
    "structuredClone",
    "TextDecoder",
    "TextEncoder",
    "TransformStream",
    "URL",
    "URLSearchParams",
    "WebAssembly",
    "WritableStream",
];

/// The most used members of a browser's `window` (a small part of the
/// reference's list; names that read like ordinary variables, such as
/// `name`, `status` or `event`, are left out on purpose).
pub const BROWSER: &[&str] = &[
    "AbortController",
    "AbortSignal",
    "addEventListener",
    "alert",
    "atob",
    "Audio",
    "Blob",
    "btoa",
    "cancelAnimationFrame",
    "CanvasRenderingContext2D",
    "clearInterval",
    "clearTimeout",
    "confirm",
    "console",
    "crypto",
    "CSS",
    "customElements",
    "CustomEvent",
    "devicePixelRatio",
    "document",
    "Document",
    "DocumentFragment",
    "DOMException",
    "DOMParser",
    "Element",
    "Event",
    "EventSource",
    "EventTarget",
    "fetch",
    "File",
    "FileList",
    "FileReader",
    "FormData",
    "getComputedStyle",
    "getSelection",
    "Headers",
    "history",
    "HTMLButtonElement",
    "HTMLCanvasElement",
    "HTMLDivElement",
    "HTMLElement",
    "HTMLFormElement",
    "HTMLImageElement",
    "HTMLInputElement",
    "HTMLSelectElement",
    "HTMLTextAreaElement",
    "Image",
    "indexedDB",
    "innerHeight",
    "innerWidth",
    "IntersectionObserver",
    "KeyboardEvent",
    "localStorage",
    "location",
    "matchMedia",
    "MessageChannel",
    "MouseEvent",
    "MutationObserver",
    "navigator",
    "Node",
    "NodeList",
    "Notification",
    "performance",
    "postMessage",
    "prompt",
    "queueMicrotask",
    "removeEventListener",
    "Request",
    "requestAnimationFrame",
    "ResizeObserver",
    "Response",
    "screen",
    "scrollTo",
    "scrollX",
    "scrollY",
    "sessionStorage",
    "setInterval",
    "setTimeout",
    "structuredClone",
    "TextDecoder",
    "TextEncoder",
    "URL",
    "URLSearchParams",
    "WebSocket",
    "window",
    "Worker",
    "XMLHttpRequest",
];

/// Global types of TypeScript's `lib.es2024` that are not also values
/// (classes such as `Map` or `Date` are types too, and are in [`ES2024`]).
pub const TYPESCRIPT_TYPES: &[&str] = &[
    "ArrayBufferLike",
    "ArrayBufferView",
    "ArrayLike",
    "AsyncGenerator",
    "AsyncIterable",
    "AsyncIterableIterator",
    "AsyncIterator",
    "Awaited",
    "CallableFunction",
    "Capitalize",
    "ClassDecorator",
    "ConcatArray",
    "ConstructorParameters",
    "Exclude",
    "Extract",
    "Generator",
    "IArguments",
    "InstanceType",
    "Iterable",
    "IterableIterator",
    "Iterator",
    "IteratorResult",
    "IteratorReturnResult",
    "IteratorYieldResult",
    "Lowercase",
    "MethodDecorator",
    "NewableFunction",
    "NoInfer",
    "NonNullable",
    "Omit",
    "OmitThisParameter",
    "ParameterDecorator",
    "Parameters",
    "Partial",
    "Pick",
    "PromiseLike",
    "PropertyDecorator",
    "PropertyDescriptor",
    "PropertyDescriptorMap",
    "PropertyKey",
    "Readonly",
    "ReadonlyArray",
    "ReadonlyMap",
    "ReadonlySet",
    "Record",
    "RegExpExecArray",
    "RegExpMatchArray",
    "Required",
    "ReturnType",
    "TemplateStringsArray",
    "ThisParameterType",
    "ThisType",
    "TypedPropertyDescriptor",
    "Uncapitalize",
    "Uppercase",
    "WeakKey",
];

/// Global types of `@types/node` that are not also values.
pub const NODE_TYPES: &[&str] = &["BufferEncoding", "NodeJS", "NodeModule", "NodeRequire"];

/// The names defined in one environment, as values and as types.
#[derive(Debug)]
pub(crate) struct Globals {
    values: HashSet<&'static str>,
    types: HashSet<&'static str>,
}

impl Globals {
    fn new(env: Env) -> Self {
        let mut values: HashSet<&'static str> = ES2024.iter().copied().collect();
        if env.node {
            values.extend(NODE);
        }
        if env.browser {
            values.extend(BROWSER);
        }
        let mut types: HashSet<&'static str> = values.clone();
        types.extend(TYPESCRIPT_TYPES);
        if env.node {
            types.extend(NODE_TYPES);
        }
        Self { values, types }
    }

    /// The globals of `env` (built once per environment).
    pub(crate) fn of(env: Env) -> &'static Globals {
        static ALL: LazyLock<[Globals; 4]> = LazyLock::new(|| {
            [
                Globals::new(Env::NONE),
                Globals::new(Env {
                    node: true,
                    browser: false,
                }),
                Globals::new(Env {
                    node: false,
                    browser: true,
                }),
                Globals::new(Env {
                    node: true,
                    browser: true,
                }),
            ]
        });
        &ALL[usize::from(env.node) + 2 * usize::from(env.browser)]
    }

    pub(crate) fn has_value(&self, name: &str) -> bool {
        self.values.contains(name)
    }

    pub(crate) fn has_type(&self, name: &str) -> bool {
        self.types.contains(name)
    }
}

/// Every value global of `env`, sorted (for `lintseq lint --globals` and
/// the bench's comparison with the reference).
pub fn value_globals(env: Env) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Globals::of(env).values.iter().copied().collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_parse_and_print() {
        assert_eq!("node".parse::<Env>().unwrap(), Env::default());
        assert_eq!("es2024".parse::<Env>().unwrap(), Env::NONE);
        let both: Env = "node, browser".parse().unwrap();
        assert!(both.node && both.browser);
        assert_eq!(both.to_string(), "node,browser");
        assert!("deno".parse::<Env>().is_err());
    }

    #[test]
    fn environments_add_their_globals() {
        assert!(Globals::of(Env::NONE).has_value("Array"));
        assert!(!Globals::of(Env::NONE).has_value("require"));
        assert!(Globals::of(Env::default()).has_value("require"));
        assert!(!Globals::of(Env::default()).has_value("document"));
        let browser = "browser".parse().unwrap();
        assert!(Globals::of(browser).has_value("document"));
        assert!(Globals::of(Env::NONE).has_type("Record"));
        assert!(!Globals::of(Env::NONE).has_value("Record"));
    }
}

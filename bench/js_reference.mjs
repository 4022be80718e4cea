// The reference configurations for JavaScript and TypeScript, run over many
// programs in one warm Node.js process (used by js_fidelity.py; the pinned
// tools are installed by js_tools.py into target/js-tools).
//
//   node bench/js_reference.mjs TOOLS_DIR REQUEST.json RESULT.json
//
// REQUEST: {"language": "javascript" | "typescript", "env": "node" | ...,
//           "texts": {"id": {"text": "...", "tsx": false}, ...}}
// RESULT:  {"id": [[key, line, message], ...], ...}
//
// JavaScript: ESLint's Linter, flat config: ecmaVersion 2024, JSX on,
// globals es2024 plus the environment's (the `globals` package), the one
// rule no-undef. A fatal parser error has the key "parse". The source type
// is "module" when the text has import/export declarations or import.meta
// (the text parses as a module and says so), else "script".
//
// TypeScript: tsc's program API on one file at a time (scripts share the
// global scope, so states cannot be checked together), options as
// `tsc --noEmit --target es2022 --module esnext --moduleResolution bundler
// --lib es2024 --types node --skipLibCheck --jsx preserve`. Counted: every
// syntactic diagnostic, and the semantic diagnostics whose codes are in
// COUNTED (cannot find name, redeclarations, misplaced return/break/continue/
// await). The key is "TS" + code.

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [toolsDir, requestPath, resultPath] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(toolsDir), "package.json"));
const request = JSON.parse(fs.readFileSync(requestPath, "utf8"));
const env = new Set(request.env.split(","));

export const COUNTED = new Set([
  // Cannot find name / namespace (with or without a suggestion).
  2304, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593, 2503, 2833,
  // Redeclarations.
  2300, 2451, 2392, 2393, 2440, 2567,
  // return, break, continue, await where they are not allowed.
  1108, 1104, 1105, 1107, 1115, 1116, 1308, 1375, 1378, 1103, 1431, 1432,
]);

function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function eslintRunner() {
  const { Linter } = require("eslint");
  const globals = require("globals");
  const espree = require("espree");
  const known = { ...globals.es2024 };
  if (env.has("node")) Object.assign(known, globals.node);
  if (env.has("browser")) Object.assign(known, globals.browser);
  const linter = new Linter({ configType: "flat" });
  const config = (sourceType) => [{
    languageOptions: {
      ecmaVersion: 2024,
      sourceType,
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: known,
    },
    rules: { "no-undef": "error" },
  }];
  const configs = { module: config("module"), script: config("script") };
  const parseOptions = (sourceType) => ({ ecmaVersion: 2024, sourceType, ecmaFeatures: { jsx: true } });
  function sourceType(text) {
    try {
      const ast = espree.parse(text, parseOptions("module"));
      const declares = ast.body.some((node) => node.type.startsWith("Import") || node.type.startsWith("Export"));
      return declares || /\bimport\s*\.\s*meta\b/.test(text) ? "module" : "script";
    } catch {
      try {
        espree.parse(text, parseOptions("script"));
        return "script";
      } catch {
        return /^\s*(import|export)\b/m.test(text) ? "module" : "script";
      }
    }
  }
  return (text) =>
    linter.verify(text, configs[sourceType(text)]).map((m) => [
      m.fatal ? "parse" : m.ruleId ?? "parse",
      m.line ?? 1,
      m.message,
    ]);
}

function tscRunner() {
  const ts = require("typescript");
  const options = {
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2024.d.ts", ...(env.has("browser") ? ["lib.dom.d.ts"] : [])],
    types: env.has("node") ? ["node"] : [],
    typeRoots: [path.join(path.resolve(toolsDir), "node_modules", "@types")],
    skipLibCheck: true,
    jsx: ts.JsxEmit.Preserve,
  };
  const host = ts.createCompilerHost(options);
  const cache = new Map();
  const getSourceFile = host.getSourceFile.bind(host);
  let current = { name: "", text: "" };
  host.getSourceFile = (name, languageVersion, onError) => {
    if (name === current.name) {
      return ts.createSourceFile(name, current.text, languageVersion, true);
    }
    if (!cache.has(name)) cache.set(name, getSourceFile(name, languageVersion, onError));
    return cache.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === current.name || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === current.name ? current.text : readFile(name));
  let oldProgram;
  return (text, tsx) => {
    current = { name: path.resolve(tsx ? "/lintseq-state/state.tsx" : "/lintseq-state/state.ts"), text };
    const program = ts.createProgram({ rootNames: [current.name], options, host, oldProgram });
    oldProgram = program;
    const file = program.getSourceFile(current.name);
    const syntactic = program.getSyntacticDiagnostics(file);
    const semantic = syntactic.length ? [] : program.getSemanticDiagnostics(file).filter((d) => COUNTED.has(d.code));
    return [...syntactic, ...semantic].map((d) => [
      "TS" + d.code,
      d.start === undefined ? 1 : lineOf(text, d.start),
      ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    ]);
  };
}

const run = request.language === "typescript" ? tscRunner() : eslintRunner();
const result = {};
for (const [id, { text, tsx }] of Object.entries(request.texts)) {
  result[id] = run(text, tsx);
}
fs.writeFileSync(resultPath, JSON.stringify(result));

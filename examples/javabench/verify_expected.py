#!/usr/bin/env python3
"""Recompute expected/PA01/{single_class,result-full,metrics}.json by building and running the handmade
PA01 project directly with javac and the JUnit console launcher, and diff against the checked-in files.

This runs only our own handmade samples (no sandbox). Needs javac/java (JDK 17) and the JUnit 5 jars in
/usr/share/java. Exits 1 on any difference. `--print` dumps the recomputed JSON instead of only diffing.

Semantics follow docs/javabench.md sections 2 and 3:
  * code = first match of ```java\\r?\\n(.*?)``` (DOTALL), "" if none;
  * replace: i = skeleton.find("public"), j = code.find("public"); if either is -1 the file is not
    written and has_todo = can_replace = False; else file = skeleton[:i] + code[j:];
  * has_todo = check_todo(skeleton, code) (a small Java scanner stands in for tree-sitter);
  * class-wise: fresh copy of the Solution per sample, whole test suite;
  * test-wise: one copy per test row reused across k, full_deps replaced by their k-th samples;
  * compile = one javac over main + test sources (compile_errors 0 or 1);
  * tests run with a 5 s per-test timeout in a separate thread; a timed-out test is a failure.
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PA = "PA01"
SOLUTION = os.path.join(HERE, "projects", PA + "-Solution")
SKELETON = os.path.join(HERE, "projects", PA, "src", "main", "java")
DATA = os.path.join(HERE, "datasets", "selective-context", f"data-{PA}.jsonl")
TESTS = os.path.join(HERE, "datasets", "testcase", f"test-{PA}.jsonl")
SAMPLES = os.path.join(HERE, "output", "holistic-selective", f"result-{PA}", "handmade", "samples.jsonl")
EXPECTED = os.path.join(HERE, "expected", PA)
JARS = "/usr/share/java"
COMPILE_CP = ":".join(f"{JARS}/{j}" for j in ("junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar"))
CONSOLE = f"{JARS}/junit-platform-console-standalone.jar"
JUNIT_CONFIG = [
    "--config=junit.jupiter.execution.timeout.default=5 s",
    "--config=junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD",
]
N = 3


def read_jsonl(path):
    with open(path, encoding="utf-8") as fp:
        return [json.loads(line) for line in fp if line.strip()]


def extract_code(completion):
    m = re.findall(r"```java\r?\n(.*?)```", completion, re.DOTALL)
    return m[0] if m else ""


# ---------------------------------------------------------------- has_todo (tree-sitter stand-in)
DECL = re.compile(r"(\w+)\s*\([^()]*\)\s*(?:throws\s+[\w.,\s]+)?$")
TYPE_KW = re.compile(r"\b(class|interface|enum|record)\b")
NOT_NAMES = {"if", "for", "while", "switch", "catch", "synchronized", "return", "new", "throw", "super", "this"}


def get_todo_methods(src):
    """Methods/constructors (name, seq, body_start, body_end) whose body holds a // comment with TODO.

    Good enough for plain Java like ours: declarations are recognised only directly inside class bodies.
    """
    masked = list(src)
    line_comments = []  # (start, end)
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j == -1 else j
            line_comments.append((i, j))
            masked[i:j] = " " * (j - i)
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j == -1 else j + 2
            masked[i:j] = [ch if ch == "\n" else " " for ch in src[i:j]]
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            masked[i + 1:j] = " " * (j - i - 1)
            i = j + 1
        else:
            i += 1
    text = "".join(masked)
    seqs, decls, stack, seg = {}, [], [], 0

    def at_class_level():
        return not stack or stack[-1][0] == "class"

    def declare(name, has_body):
        seq = seqs.get(name, 0)
        seqs[name] = seq + 1
        if has_body:
            decls.append({"name": name, "seq": seq})
            return decls[-1]
        return None

    for i, c in enumerate(text):
        if c == "{":
            segment = text[seg:i].strip()
            if at_class_level() and TYPE_KW.search(segment):
                stack.append(("class", None))
            elif at_class_level() and DECL.search(segment) and "=" not in segment \
                    and DECL.search(segment).group(1) not in NOT_NAMES:
                d = declare(DECL.search(segment).group(1), True)
                d["body_start"] = i
                stack.append(("method", d))
            elif re.search(r"\bnew\s+[\w.<>]+\s*\([^()]*\)$", segment):
                stack.append(("class", None))
            else:
                stack.append(("other", None))
            seg = i + 1
        elif c == "}":
            kind, d = stack.pop()
            if kind == "method":
                d["body_end"] = i + 1
            seg = i + 1
        elif c == ";":
            segment = text[seg:i].strip()
            if at_class_level() and DECL.search(segment) and "=" not in segment \
                    and DECL.search(segment).group(1) not in NOT_NAMES:
                declare(DECL.search(segment).group(1), False)
            seg = i + 1
    out = []
    for d in decls:
        if any(d["body_start"] < a < d["body_end"] and "TODO" in src[a:b] for a, b in line_comments):
            out.append(d)
    return out


def check_todo(todo, com):
    cms = get_todo_methods(com)
    for tm in get_todo_methods(todo):
        cm = None
        for c in cms:
            if c["name"] == tm["name"] and c["seq"] == tm["seq"]:
                cm = c
        if cm is None:
            continue

        def strip(body):
            return "\n".join(l for l in body.split("\n") if not l.strip().startswith("//"))

        if len(strip(com[cm["body_start"]:cm["body_end"]])) - len(strip(todo[tm["body_start"]:tm["body_end"]])) < 10:
            return True
    return False


# ---------------------------------------------------------------- build and run
def skeleton(target):
    with open(os.path.join(SKELETON, target), encoding="utf-8") as fp:
        return fp.read()


def prepare(sample):
    """(content to write or None, has_todo, can_replace) for one sample row."""
    code = extract_code(sample["completion"])
    todo = skeleton(sample["target"])
    i, j = todo.find("public"), code.find("public")
    if i == -1 or j == -1:
        return None, False, False
    return todo[:i] + code[j:], check_todo(todo, code), True


def new_env(tmp, name):
    root = os.path.join(tmp, name)
    shutil.copytree(os.path.join(SOLUTION, "src"), os.path.join(root, "src"))
    return root


def write(root, target, content):
    with open(os.path.join(root, "src", "main", "java", target), "w", encoding="utf-8") as fp:
        fp.write(content)


def compile_env(root):
    out = os.path.join(root, "out")
    shutil.rmtree(out, ignore_errors=True)
    files = []
    for d, _, fs in os.walk(os.path.join(root, "src")):
        files += [os.path.join(d, f) for f in fs if f.endswith(".java")]
    p = subprocess.run(["javac", "-d", out, "-cp", COMPILE_CP] + sorted(files), capture_output=True, text=True)
    return 0 if p.returncode == 0 else 1


def run_tests(root, test_class=None):
    select = ["--select-class", test_class] if test_class else ["--scan-classpath"]
    p = subprocess.run(["java", "-jar", CONSOLE, "-cp", os.path.join(root, "out"), "--disable-banner",
                        "--disable-ansi-colors", "--details=summary"] + JUNIT_CONFIG + select,
                       capture_output=True, text=True, timeout=600)
    found = re.search(r"\[\s*(\d+) tests found\s*\]", p.stdout)
    ok = re.search(r"\[\s*(\d+) tests successful\s*\]", p.stdout)
    if not (found and ok):
        raise RuntimeError("no JUnit summary:\n" + p.stdout + p.stderr)
    return [int(ok.group(1)), int(found.group(1))]


def class_name(target):
    return target.rsplit(".", 1)[0].replace("/", ".")


def class_wise(samples, prepared, tmp):
    records = []
    for idx, (s, (content, has_todo, can_replace)) in enumerate(zip(samples, prepared)):
        root = new_env(tmp, f"single-{idx}")
        if content is not None:
            write(root, s["target"], content)
        errors = compile_env(root)
        result = run_tests(root) if errors == 0 else [0, 0]
        records.append({"task_id": s["task_id"], "compile_errors": errors, "test_result": result,
                        "has_todo": has_todo, "can_replace": can_replace})
        print(f"class-wise {s['task_id']}: {records[-1]}", file=sys.stderr)
        shutil.rmtree(root)
    return records


def test_wise(samples, prepared, tests, tmp):
    groups = {}
    for s, p in zip(samples, prepared):
        groups.setdefault(class_name(s["target"]), []).append((s, p))
    max_k = min(len(g) for g in groups.values())
    result = {}
    for t in tests:
        root = new_env(tmp, "full-" + t["test_id"].replace("/", "-"))
        recs = []
        for k in range(max_k):
            has_todo, can_replace = False, True
            for dep in t["full_deps"]:
                s, (content, ht, cr) = groups[dep][k]
                if content is not None:
                    write(root, s["target"], content)
                has_todo = has_todo or ht
                can_replace = can_replace and cr
            ok = compile_env(root) == 0
            n_pass = run_tests(root, t["target"]) if ok else [0, 0]
            recs.append({"test_id": t["test_id"], "compilable": ok, "n_pass": n_pass,
                         "has_todo": has_todo, "can_replace": can_replace})
            print(f"test-wise {t['test_id']} k={k}: {recs[-1]}", file=sys.stderr)
        result[t["test_id"]] = recs
        shutil.rmtree(root)
    return result


def project_wise(samples, prepared, tmp):
    """JavaBench's project_wise command: per k, every class's k-th sample in
    one project reused across k; the whole suite."""
    groups = {}
    for s, p in zip(samples, prepared):
        groups.setdefault(class_name(s["target"]), []).append((s, p))
    max_k = min(len(g) for g in groups.values())
    root = new_env(tmp, "project")
    records = []
    for k in range(max_k):
        has_todo, can_replace = False, True
        for group in groups.values():
            s, (content, ht, cr) = group[k]
            if content is not None:
                write(root, s["target"], content)
            has_todo = has_todo or ht
            can_replace = can_replace and cr
        errors = compile_env(root)
        n_pass = run_tests(root) if errors == 0 else [0, 0]
        records.append({"compile_error": errors, "n_pass": n_pass,
                        "has_todo": has_todo, "can_replace": can_replace})
        print(f"project-wise k={k}: {records[-1]}", file=sys.stderr)
    shutil.rmtree(root)
    return records


# ---------------------------------------------------------------- metrics (docs/javabench.md 3.4)
def est(n, c, k):
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(math.ceil(c)):
        prod *= 1 - k / (n - c + 1 + i)
    return 1.0 - prod


def per_key(records, key, value):
    cs = {}
    for r in records:
        cs.setdefault(r[key], [])
        if len(cs[r[key]]) < N:
            cs[r[key]].append(r)
    assert all(len(v) == N for v in cs.values())
    return {k: sum(value(r) for r in v) for k, v in cs.items()}


def metrics(single, full):
    flat = [r for recs in full.values() for r in recs]
    ok = lambda r: r["can_replace"] and not r["has_todo"]
    cvals = {
        "completion": per_key(single, "task_id", lambda r: 1 if ok(r) else 0),
        "compilation_class": per_key(single, "task_id", lambda r: 1 if ok(r) and r["compile_errors"] == 0 else 0),
        "compilation_test": per_key(flat, "test_id", lambda r: 1 if ok(r) and r["compilable"] else 0),
        "pass_class": per_key(single, "task_id", lambda r: r["test_result"][0] / r["test_result"][1]
                              if ok(r) and r["compile_errors"] == 0 else 0),
        "pass_test": per_key(flat, "test_id", lambda r: r["n_pass"][0] / r["n_pass"][1]
                             if ok(r) and r["compilable"] else 0),
    }
    out = {m: {str(k): sum(est(N, c, k) for c in cs.values()) / len(cs) for k in (1, 2, 3)}
           for m, cs in cvals.items()}
    return out, cvals


def dumps(obj):
    return json.dumps(obj, indent=4) + "\n"


def main():
    samples = read_jsonl(SAMPLES)
    tests = read_jsonl(TESTS)
    prepared = [prepare(s) for s in samples]
    with tempfile.TemporaryDirectory(prefix="jb-verify-") as tmp:
        single = class_wise(samples, prepared, tmp)
        full = test_wise(samples, prepared, tests, tmp)
        project = project_wise(samples, prepared, tmp)
    computed = {"single_class.json": single, "result-full.json": full, "project_wise.json": project}
    computed["metrics.json"], cvals = metrics(single, full)
    if "--print" in sys.argv:
        for name, obj in computed.items():
            print(f"== {name}\n{dumps(obj)}")
        print("== c per key\n" + json.dumps(cvals, indent=2))
    bad = 0
    for name, obj in computed.items():
        path = os.path.join(EXPECTED, name)
        with open(path, encoding="utf-8") as fp:
            expected = json.load(fp)
        if name == "metrics.json":
            same = expected.keys() == obj.keys() and all(
                expected[m].keys() == obj[m].keys() and all(abs(expected[m][k] - obj[m][k]) < 1e-12 for k in obj[m])
                for m in obj)
        else:
            same = expected == obj
        if not same:
            bad += 1
            print(f"DIFF {name}:\n expected {json.dumps(expected)}\n computed {json.dumps(obj)}")
        else:
            print(f"OK   {name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

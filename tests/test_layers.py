#!/usr/bin/python3
"""test_layers.py: the architecture of model/ (docs/architecture.md) holds.

- every #include "folder/file.h" in model/LAYER/ names a layer LAYER may use:
    core     <- nothing
    physics  <- core
    solvers  <- core, physics
    io       <- core, physics (parameter types and name tables only)
    policy   <- core, io
    run      <- core, physics, io, policy, solvers
    products <- everything but app
    app      <- everything
- no two files include each other, directly or through others;
- no function in run/, products/ or app/ is longer than 100 lines.

Also `python3 tests/test_layers.py --list` prints every function of model/
over 100 lines, longest first (the report the architecture issue asks for).
Prints "[  PASSED  ] N test(s)." or "[  FAILED  ] ..." as the other tests do."""
import os
import re
import sys

ROOT = os.environ.get("LT_MODEL_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model")
ALLOWED = {
    "core": {"core"},
    "physics": {"core", "physics"},
    "solvers": {"core", "physics", "solvers"},
    "io": {"core", "physics", "io"},
    "policy": {"core", "io", "policy"},
    "run": {"core", "physics", "io", "policy", "solvers", "run"},
    "products": {"core", "physics", "io", "policy", "solvers", "run", "products"},
    "app": {"core", "physics", "io", "policy", "solvers", "run", "products", "app"},
}
MAX_LINES = 100
STRICT = {"run", "products", "app"}


def sources():
    for layer in sorted(os.listdir(ROOT)):
        d = os.path.join(ROOT, layer)
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if f.endswith((".c", ".h")):
                    yield layer, f"{layer}/{f}", os.path.join(d, f)


def includes(path):
    return re.findall(r'^#include "([a-z_]+/[a-z_]+\.h)"', open(path, encoding="utf-8").read(), re.M)


def functions(path):
    """(name, first line, length in lines) of every function definition."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    head = re.compile(r"^(?:static\s+|inline\s+)*[A-Za-z_][\w\s\*]*?\b(\w+)\s*\([^;]*$")
    while i < len(lines):
        m = head.match(lines[i])
        if m and not lines[i].startswith((" ", "\t", "#", "/", "}")) and "=" not in lines[i].split("(")[0]:
            j = i
            while j < len(lines) and not lines[j].startswith("{") and not lines[j].rstrip().endswith(";"):
                j += 1
            if j < len(lines) and lines[j].startswith("{"):
                k = j + 1
                while k < len(lines) and not lines[k].startswith("}"):
                    k += 1
                out.append((m.group(1), i + 1, k - i + 1))
                i = k
        i += 1
    return out


def main():
    if "--list" in sys.argv:
        rows = [(n, f"{rel}:{line}") for layer, rel, p in sources() if p.endswith(".c")
                for name, line, n in functions(p) if n > MAX_LINES for n in [n]]
        for n, where in sorted(rows, reverse=True):
            print(f"{n:5d}  {where}")
        print(f"{len(rows)} functions over {MAX_LINES} lines")
        return 0
    failures = []
    graph = {}
    for layer, rel, path in sources():
        graph[rel] = includes(path)
        for inc in graph[rel]:
            if inc.split("/")[0] not in ALLOWED.get(layer, set()):
                failures.append(f"{rel} includes {inc}: {layer}/ may use only {sorted(ALLOWED[layer])}")
            if not os.path.exists(os.path.join(ROOT, inc)):
                failures.append(f"{rel} includes {inc}, which does not exist")
    # cycles: a depth-first search over the include graph
    state = {}

    def visit(n, stack):
        state[n] = 1
        for m in graph.get(n, []):
            if state.get(m) == 1:
                failures.append("include cycle: " + " -> ".join(stack[stack.index(m):] + [m]))
            elif m in graph and not state.get(m):
                visit(m, stack + [m])
        state[n] = 2

    for n in graph:
        if not state.get(n):
            visit(n, [n])
    for layer, rel, path in sources():
        if layer in STRICT and path.endswith(".c"):
            for name, line, n in functions(path):
                if n > MAX_LINES:
                    failures.append(f"{rel}:{line}: {name} is {n} lines (at most {MAX_LINES} in {layer}/)")
    for f in failures:
        print("test_layers.py: " + f)
    print(f"[  {'FAILED' if failures else 'PASSED'}  ] 1 test(s).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

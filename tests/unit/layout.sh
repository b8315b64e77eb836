#!/bin/sh
# layout.sh — the rules of the source tree that keep it easy to read and to
# change (docs/architecture.md), checked on every `make test`:
#   - no source file over 800 lines;
#   - no circle of modules (a module is a .c and its .h, and the NAME_*.c
#     that share NAME_internal.h are part of module NAME; A uses B when A
#     calls or reads what B defines, as nm shows in the built objects);
#   - backends/ includes nothing of core/ but core/base/;
#   - curses is included only in tui/ and widgets/;
#   - tui/ and cli/ read the feeds through the frame only (no source_get,
#     no snapshot values) and `struct lab` is gone;
#   - nothing in the repository cites documents outside it.
# Prints PASS: / FAIL: lines for tests/run-suite.
cd "$(dirname "$0")/../.." || exit 1
exec python3 - <<'PY'
import os, re, subprocess, sys

files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], capture_output=True,
                       text=True, check=True).stdout.split()
files = [f for f in files if os.path.isfile(f)]
src = [f for f in files if re.match(r"(core|backends|widgets|tui|cli)/.*\.[ch]$", f)]
fails = 0

def check(ok, what, detail=""):
    global fails
    if ok:
        print(f"PASS: {what}")
    else:
        fails += 1
        print(f"FAIL: {what}\n{detail}")

def text(f):
    with open(f, encoding="utf-8", errors="replace") as fh:
        return fh.read()

long = [f"  {f}: {text(f).count(chr(10))} lines" for f in src if text(f).count("\n") > 800]
check(not long, "no source file over 800 lines", "\n".join(long))

inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A module is a .c and its .h; the files NAME_*.c that include NAME_internal.h
# are part of module NAME.  A uses B when A's object calls or reads something
# B's object defines (nm over build/; `make` has built them).
def module(f):
    return f[:-len("_internal.h")] if f.endswith("_internal.h") else f[:-2]
owner = {}
for f in src:
    if not f.endswith(".c"):
        continue
    m = module(f)
    for h in inc.findall(text(f)):
        if h.endswith("_internal.h") and f.startswith(module(h) + "_"):
            m = module(h)
    owner[f] = m
defs, uses, missing = {}, {}, []
for f, m in owner.items():
    obj = os.path.join(os.environ.get("BUILD", "build"), f[:-2] + ".o")
    if not os.path.exists(obj):
        missing.append(obj)
        continue
    out = subprocess.run(["nm", obj], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            uses.setdefault(m, set()).add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDRB":
            defs[parts[2]] = m
check(not missing, "every module is built (make all first)", "\n".join("  " + o for o in missing))
graph = {}
for m, syms in uses.items():
    for sym in syms:
        d = defs.get(sym)
        if d is not None and d != m:
            graph.setdefault(m, set()).add(d)
cycles, state = [], {}
def visit(m, path):
    state[m] = 1
    for n in sorted(graph.get(m, ())):
        if state.get(n) == 1:
            cycles.append(" -> ".join(path[path.index(n):] + [n]) if n in path else f"{m} -> {n}")
        elif n not in state:
            visit(n, path + [n])
    state[m] = 2
for m in sorted(graph):
    if m not in state:
        visit(m, [m])
check(not cycles, "no circle of modules (no two modules use each other)", "\n".join("  " + c for c in cycles))

bad = [f"  {f}: {h}" for f in src if f.startswith("backends/")
       for h in inc.findall(text(f)) if h.startswith("core/") and not h.startswith("core/base/")]
check(not bad, "backends include only core/base of core", "\n".join(bad))

curses = re.compile(r'#\s*include\s*[<"](n?curses[^>"]*)[>"]')
bad = [f"  {f}" for f in src if curses.search(text(f)) and not f.startswith(("tui/", "widgets/"))]
check(not bad, "curses only in tui/ and widgets/", "\n".join(bad))

frameonly = re.compile(r"\b(source_get|snapshot_value|snapshot_unref|struct snapshot)\b")
bad = [f"  {f}" for f in src if f.startswith(("tui/", "cli/")) and frameonly.search(text(f))]
check(not bad, "tui/ and cli/ read snapshots only through the frame", "\n".join(bad))

bad = [f"  {f}" for f in src if re.search(r"\bstruct lab\b", text(f))]
check(not bad, "no struct lab", "\n".join(bad))

cite = re.compile(r"\b(DESIGN|REFERENCE|STYLE)\.md\b|\.\./shared|shared/seeds")
bad = [f"  {f}" for f in files if not f.startswith("tests/unit/layout.sh") and
       not re.search(r"\.(png|tar|gz)$", f) and cite.search(text(f))]
check(not bad, "nothing cites documents outside the repository", "\n".join(bad))
sys.exit(1 if fails else 0)
PY

#!/usr/bin/env python3
"""ktwatch.py — watches a kitetop in a tmux pane until its screen says something,
and times its keys meanwhile.  Used by tests/faults/lib.sh.

  ktwatch.py -L SOCK -t SESSION [--has RE]... [--lacks RE]... [--forbid RE]...
             [--limit S] [--hold S] [--keys FILE]

Polls `tmux capture-pane` until every --has matches and no --lacks matches
(then prints "ms N", N the milliseconds since the start, exit 0), or until
--limit seconds pass (prints "ms N" with N the limit, exit 1).  With --hold S it
instead watches for S seconds and succeeds at the end (for "nothing must
happen").  A --forbid match ends it at once: prints "forbidden LINE", exit 2
(e.g. a container said "failed" when it is not).

--keys FILE: between two looks at the screen, presses "/" (the filter's prompt
shows "filter:" on the last line) and times how long until capture-pane shows
it, then Escape and waits for the prompt to go; each time in ms is appended to
FILE.  The time includes tmux's own send-keys and capture-pane (about 10 ms):
it is what a person sees.  --control SESSION --control-keys FILE: before each
press, one on a second kitetop that has no fault (the machine's own pace at
that moment, for comparison).
"""
import argparse, re, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("-L", dest="sock", required=True)
ap.add_argument("-t", dest="target", required=True)
ap.add_argument("--has", action="append", default=[])
ap.add_argument("--lacks", action="append", default=[])
ap.add_argument("--forbid", action="append", default=[])
ap.add_argument("--limit", type=float, default=10)
ap.add_argument("--hold", type=float, default=0)
ap.add_argument("--keys")
ap.add_argument("--control", help="a second, healthy kitetop's pane: each press there too")
ap.add_argument("--control-keys")
a = ap.parse_args()

has = [re.compile(r, re.M) for r in a.has]
lacks = [re.compile(r, re.M) for r in a.lacks]
forbid = [re.compile(r, re.M) for r in a.forbid]


def tmux(*args):
    return subprocess.run(["tmux", "-L", a.sock, "-f", "/dev/null"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")


def screen(target=None):
    return tmux("capture-pane", "-p", "-t", target or a.target)


def prompt_open(s):
    lines = s.rstrip("\n").split("\n")
    return bool(lines) and lines[-1].startswith("filter:")


def now_ms():
    return time.monotonic() * 1000


def key_probe(out, target=None):
    target = target or a.target
    t0 = now_ms()
    tmux("send-keys", "-t", target, "/")
    s = ""
    while now_ms() - t0 < 5000:
        s = screen(target)
        if prompt_open(s):
            break
    ms = now_ms() - t0
    out.write("%d\n" % round(ms))
    out.flush()
    tmux("send-keys", "-t", target, "Escape")
    t1 = now_ms()
    while now_ms() - t1 < 5000:
        s = screen(target)
        if not prompt_open(s):
            break
    return s


def look(s):
    for r in forbid:
        m = r.search(s)
        if m:
            line = s[s.rfind("\n", 0, m.start()) + 1:s.find("\n", m.end())]
            print("forbidden %s" % line.strip())
            sys.exit(2)
    return all(r.search(s) for r in has) and not any(r.search(s) for r in lacks)


start = now_ms()
keys = open(a.keys, "a") if a.keys else None
control = open(a.control_keys, "a") if a.control and a.control_keys else None
limit = (a.hold or a.limit) * 1000
while True:
    s = screen()
    el = now_ms() - start
    if look(s) and not a.hold:
        print("ms %d" % round(el))
        sys.exit(0)
    if el >= limit:
        print("ms %d" % round(limit))
        sys.exit(0 if a.hold else 1)
    if keys:
        if control:
            key_probe(control, a.control)
        s = key_probe(keys)
        if look(s) and not a.hold:
            print("ms %d" % round(now_ms() - start))
            sys.exit(0)
        time.sleep(0.05)
    else:
        time.sleep(0.02)

#!/usr/bin/env python3
"""slowlink-measure — kitetop against the lab with monk's SSH behind
tests/lab/slowlink.py, measured as a person sees it (tmux) and as a script
does (status --json).  Used by bench/slowlink.sh and tests/e2e/slowlink.sh.

  slowlink-measure.py --rtt MS [--both] [--keys N] [--status-runs N] [--stall] [--cut]
                      [--bytes COLSxROWS,... --bytes-seconds S]

--both puts kscloud1's sshd (127.0.0.3:22) behind a second proxy too, on
the same address's port 2223, with the same delay: every host slow.

Prints one "name value" line per figure (times in ms; -1: never seen):
  first_data_monk / first_data_kscloud1   start to the host's containers listed
  reached_monk / reached_kscloud1         start to the host's SSH round trip shown
  key_ms_median / key_ms_max              key (view 2 / view 1) to the screen showing it
  status_ms                               status --json wall time (each run)
  timeouts                                sources in status --json that timed out
  status_unreachable                      hosts status --json did not reach, why
  status_containers                       hosts with containers in every run's JSON
  stall_unreachable_ms                    link stalled to monk shown unreachable
  cut_recovered_ms                        connections cut to monk's data back
  bytes_per_refresh_WxH                   terminal bytes per refresh, idle
Only KT_SLOWLINK_ADDR (default 127.0.0.190) is listened on, port 2222
(monk's sshd, 127.0.0.2:22, behind it) and with --both 2223 (kscloud1's);
the lab itself is only read.  KT_SLOWLINK_TRACE=PREFIX: each proxy logs the
chunks it reads to PREFIX.HOST (slowlink.py --trace).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB = "/run/kitetop-lab"
ADDR = os.environ.get("KT_SLOWLINK_ADDR", "127.0.0.190")
# host: (its sshd, the proxy's address)
PROXIED = {"monk": ("127.0.0.2:22", f"{ADDR}:2222"),
           "kscloud1": ("127.0.0.3:22", f"{ADDR}:2223")}


def out(name, value):
    print(f"{name} {value}", flush=True)


class Run:
    def __init__(self, a):
        self.a = a
        self.tmp = tempfile.mkdtemp(prefix="kt-slowlink-")
        self.sock = f"kt-slowlink-{os.getpid()}"
        self.proxies = []
        self.hosts = ["monk", "kscloud1"] if a.both else ["monk"]
        self.kt = os.environ.get("KT", os.path.join(TOP, "kitetop"))

    # ---- the lab's config with monk behind the proxy ----
    def config(self):
        kh = os.path.join(self.tmp, "known_hosts")
        with open(os.path.join(LAB, "known_hosts")) as f:
            lines = f.read().splitlines()
        extra = []
        for host in self.hosts:
            target, listen = PROXIED[host]
            key = None
            for ln in lines:
                w = ln.split()
                if len(w) >= 3 and w[0] == target.split(":")[0]:
                    key = f"{w[1]} {w[2]}"
            if key is None:
                sys.exit(f"slowlink-measure: no host key for {target} in the lab's known_hosts")
            addr, port = listen.split(":")
            extra.append(f"[{addr}]:{port} {key}")
        with open(kh, "w") as f:
            f.write("\n".join(lines + extra) + "\n")
        conf = os.path.join(self.tmp, "lab.conf")
        section = None
        with open(os.path.join(TOP, "examples/kitestacks-lab.conf")) as src, \
                open(conf, "w") as dst:
            for ln in src:
                m = re.match(r"^\[(.*)\]", ln)
                if m:
                    section = m.group(1)
                host = section[5:] if section and section.startswith("host ") else None
                if host in self.hosts and ln.startswith("ssh = "):
                    ln = f"ssh = root@{PROXIED[host][1]}\n"
                elif host in self.hosts and ln.startswith("known_hosts = "):
                    ln = f"known_hosts = {kh}\n"
                elif ln.startswith("audit_log = "):
                    ln = f"audit_log = {self.tmp}/audit.log\n"
                dst.write(ln)
        self.conf = conf

    # ---- the proxy ----
    def proxy_start(self, one_way_ms):
        self.ctl = os.path.join(self.tmp, "slowlink.sock")   # monk's
        for host in self.hosts:
            target, listen = PROXIED[host]
            pid = os.path.join(self.tmp, f"slowlink-{host}.pid")
            ctl = os.path.join(self.tmp, "slowlink.sock" if host == "monk" else
                               f"slowlink-{host}.sock")
            log = os.path.join(self.tmp, f"slowlink-{host}.log")
            proxy = subprocess.Popen(
                [sys.executable, os.path.join(TOP, "tests/lab/slowlink.py"),
                 "--listen", listen, "--target", target,
                 "--delay", str(one_way_ms), "--control", ctl, "--pidfile", pid] +
                (["--trace", f"{os.environ['KT_SLOWLINK_TRACE']}.{host}"]
                 if os.environ.get("KT_SLOWLINK_TRACE") else []),
                stdout=subprocess.DEVNULL, stderr=open(log, "w"))
            self.proxies.append(proxy)
            deadline = time.monotonic() + 10
            while not os.path.exists(pid):
                if time.monotonic() > deadline or proxy.poll() is not None:
                    sys.exit(f"slowlink-measure: the proxy did not start (see {log})")
                time.sleep(0.02)

    def control(self, cmd):
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.ctl)
        s.sendall(cmd.encode() + b"\n")
        answer = s.recv(200).decode().strip()
        s.close()
        return answer

    # ---- tmux ----
    def tm(self, *args):
        return subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", *args],
                              capture_output=True, text=True).stdout

    def screen(self):
        return self.tm("capture-pane", "-p", "-t", "kt").splitlines()

    def tui_start(self, cols, rows):
        env = f"XDG_STATE_HOME={self.tmp}/state"
        self.t0 = time.monotonic()
        self.tm("new-session", "-d", "-s", "kt", "-x", str(cols), "-y", str(rows),
                f"env {env} {self.kt} -c {self.conf}")

    def tui_stop(self):
        self.tm("send-keys", "-t", "kt", "q")
        time.sleep(0.3)
        self.tm("kill-server")

    @staticmethod
    def halves(lines):
        """monk's column (left) and kscloud1's (right) at 200 columns: split
        where kscloud1's box begins (the two boxes' sides side by side)."""
        cut = 100
        for ln in lines:
            m = re.search(r"[┃│][┃│]", ln)
            if m:
                cut = m.start() + 1
                break
        return ("\n".join(ln[:cut] for ln in lines), "\n".join(ln[cut:] for ln in lines))

    def wait(self, pred, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if pred(self.screen()):
                return True
            time.sleep(0.01)
        return False

    # ---- the figures ----
    def first_data(self):
        seen = {}
        names = ("monk", "kscloud1")
        deadline = time.monotonic() + 20
        while len(seen) < 4 and time.monotonic() < deadline:
            left, right = self.halves(self.screen())
            now = int((time.monotonic() - self.t0) * 1000)
            for host, text in zip(names, (left, right)):
                if f"reached_{host}" not in seen and re.search(host + r".*ssh [0-9]+ ms", text):
                    seen[f"reached_{host}"] = now
                if f"first_data_{host}" not in seen and "homepage" in text:
                    seen[f"first_data_{host}"] = now
            time.sleep(0.01)
        for k in ("reached_monk", "reached_kscloud1", "first_data_monk", "first_data_kscloud1"):
            out(k, seen.get(k, -1))
        return seen

    def keys(self, n):
        times = []
        views = [("2", lambda s: any(re.search(r"SERVICE +monk +kscloud1", ln) for ln in s)),
                 ("1", lambda s: any("kitestacks-metrics-api" in ln for ln in s) and
                  not any(re.search(r"SERVICE +monk", ln) for ln in s))]
        for i in range(n):
            key, shown = views[i % 2]
            t = time.monotonic()
            self.tm("send-keys", "-t", "kt", key)
            ok = self.wait(shown, 5)
            times.append((time.monotonic() - t) * 1000 if ok else 5000)
            time.sleep(0.1)
        if n % 2 == 1:   # back to the overview
            self.tm("send-keys", "-t", "kt", "1")
            self.wait(views[1][1], 5)
        if times:
            out("key_ms_median", f"{statistics.median(times):.0f}")
            out("key_ms_max", f"{max(times):.0f}")
            out("key_ms_all", " ".join(f"{x:.0f}" for x in times))

    def tui_timeouts(self):
        """Lines of the screen that say a source timed out."""
        bad = [ln.strip() for ln in self.screen()
               if re.search(r"timed out|no answer yet|timeout", ln, re.I)]
        out("tui_timeouts", len(bad))
        for ln in bad:
            out("tui_timeout_line", ln[:160])

    def status(self, runs):
        env = dict(os.environ, XDG_STATE_HOME=f"{self.tmp}/state")
        times, timeouts, unreachable = [], [], set()
        listed = {h: 0 for h in self.hosts}
        for _ in range(runs):
            t = time.monotonic()
            try:   # a hang is a failure, not a wait for ever
                p = subprocess.run([self.kt, "-c", self.conf, "status", "--json"],
                                   capture_output=True, text=True, env=env, timeout=60)
            except subprocess.TimeoutExpired:
                times.append(60000)
                timeouts.append("status --json did not finish in 60 s")
                continue
            times.append(int((time.monotonic() - t) * 1000))
            try:
                doc = json.loads(p.stdout)
            except ValueError:
                timeouts.append("status --json printed no JSON")
                continue
            timeouts += find_timeouts(doc, "")
            for h in doc.get("hosts", []):
                if h.get("reachable") is not True:
                    unreachable.add(f"{h.get('name')} ({h.get('error')})")
                if h.get("name") in listed and h.get("containers"):
                    listed[h["name"]] += 1
        out("status_ms", " ".join(str(x) for x in times))
        out("status_ms_max", max(times))
        out("timeouts", len(timeouts))
        out("status_unreachable", "; ".join(sorted(unreachable)) or "none")
        out("status_containers", " ".join(h for h in self.hosts if listed[h] == runs) or "none")
        for t in timeouts:
            out("timeout", t)

    def stall(self):
        """Stalls the link; the time until monk's side says it is unreachable."""
        self.control("stall")
        t = time.monotonic()
        ok = self.wait(lambda s: re.search(r"✖ unreachable|stopped answering",
                                           self.halves(s)[0]), 60)
        out("stall_unreachable_ms", int((time.monotonic() - t) * 1000) if ok else -1)
        self.control("resume")
        back = self.wait(lambda s: re.search(r"monk.*ssh [0-9]+ ms", self.halves(s)[0]) and
                         "homepage" in self.halves(s)[0], 60)
        out("stall_recovered_ms", int((time.monotonic() - t) * 1000) if back else -1)

    def cut(self):
        """Cuts every connection through the link; the time until monk's
        side is back with its round trip and its containers."""
        self.control("cut")
        t = time.monotonic()
        gone = self.wait(lambda s: not re.search(r"monk.*ssh [0-9]+ ms", self.halves(s)[0]), 10)
        back = gone and self.wait(
            lambda s: re.search(r"monk.*ssh [0-9]+ ms", self.halves(s)[0]) and
            "homepage" in self.halves(s)[0], 60)
        out("cut_noticed", 1 if gone else 0)
        out("cut_recovered_ms", int((time.monotonic() - t) * 1000) if back else -1)

    def bytes_per_refresh(self, size, seconds, warmup):
        cols, rows = (int(x) for x in size.split("x"))
        self.tui_start(cols, rows)
        self.wait(lambda s: any("homepage" in ln for ln in s), 20)
        time.sleep(warmup)   # the steady state: every source has answered a few times
        path = os.path.join(self.tmp, f"bytes-{size}")
        self.tm("pipe-pane", "-t", "kt", "-o", f"cat >{path}")
        time.sleep(seconds)
        self.tm("pipe-pane", "-t", "kt")
        self.tui_stop()
        refresh = 2
        n = os.path.getsize(path)
        out(f"bytes_per_refresh_{size}", round(n / (seconds / refresh)))

    def close(self):
        self.tm("kill-server")
        for proxy in self.proxies:
            proxy.send_signal(signal.SIGTERM)
            try:
                proxy.wait(5)
            except subprocess.TimeoutExpired:
                proxy.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def find_timeouts(node, path):
    """Every string in the document that says a source timed out."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            found += find_timeouts(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += find_timeouts(v, f"{path}[{i}]")
    elif isinstance(node, str) and re.search(r"timed out|no answer yet|timeout", node, re.I):
        found.append(f"{path}: {node[:120]}")
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rtt", type=int, default=300, help="round trip added, ms")
    ap.add_argument("--both", action="store_true", help="kscloud1 behind a proxy too")
    ap.add_argument("--keys", type=int, default=0)
    ap.add_argument("--status-runs", type=int, default=0)
    ap.add_argument("--tui", action="store_true", help="time to first data")
    ap.add_argument("--stall", action="store_true")
    ap.add_argument("--cut", action="store_true")
    ap.add_argument("--bytes", default="")
    ap.add_argument("--bytes-seconds", type=float, default=20)
    ap.add_argument("--bytes-warmup", type=float, default=10)
    a = ap.parse_args()
    r = Run(a)
    try:
        r.config()
        r.proxy_start(a.rtt // 2)
        out("rtt_ms", a.rtt)
        if a.status_runs:
            r.status(a.status_runs)
        if a.tui or a.keys or a.stall or a.cut:
            r.tui_start(200, 50)
            r.first_data()
            r.keys(a.keys)
            if a.tui:
                # a few refreshes on: nothing may say it timed out
                time.sleep(6)
                r.tui_timeouts()
            if a.stall:
                r.stall()
            if a.cut:
                r.cut()
            r.tui_stop()
        for size in filter(None, a.bytes.split(",")):
            r.bytes_per_refresh(size, a.bytes_seconds, a.bytes_warmup)
    finally:
        r.close()


if __name__ == "__main__":
    main()

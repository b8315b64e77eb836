#!/usr/bin/env python3
"""fake_dockerd — N fake Docker engines of M containers each, on unix sockets.

Each engine answers the Engine API 1.41 endpoints kitetop reads, in the
shapes the lab's dockerd (20.10) returns them: the templates under
templates/ were recorded from it (GET /version, /info,
/containers/json?all=1, /containers/ID/json, /containers/ID/stats,
/events), and each container is the template with its own id, name,
state, health, restarts, start time, CPU and memory.  Nothing can be
changed: every POST and DELETE gets a 403.

Every request is counted per endpoint ("containers/json",
"containers/ID/json", "containers/ID/stats", "events", "version", ...);
GET /_counters on an engine answers its counts as JSON (that request is
not counted).

With --cgroup-root PATTERN each engine also keeps its running containers'
cgroup files in the shape of a real host's, under PATTERN with "%d" the
engine's number (kitetop reads them with KITETOP_CGROUP_ROOT, "%h" the
host's name): --cgroup v1 (the default: cgroupfs driver, as the lab's
20.10 engines on cgroup v1) writes cpuacct/docker/ID/cpuacct.usage and
memory/docker/ID/{memory.usage_in_bytes,memory.stat,memory.limit_in_bytes};
--cgroup v2 writes docker/ID/{cpu.stat,memory.current,memory.stat,memory.max}.
GET /info then says that CgroupVersion and CgroupDriver "cgroupfs".  The
CPU counters are rewritten every second (the files' figures are the same
as the stats API's: CPU and memory agree whichever kitetop reads).

  fake_dockerd.py --dir DIR --hosts 8 --containers 500 [--pidfile FILE]
                  [--cgroup-root PATTERN [--cgroup v1|v2]]

serves DIR/engine-0.sock ... DIR/engine-7.sock until SIGTERM.
"""
import argparse
import asyncio
import copy
import json
import os
import re
import signal
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TPL = os.path.join(HERE, "templates")


def load(name):
    with open(os.path.join(TPL, name)) as f:
        return json.load(f)


LIST_ITEM = load("container_list_item.json")
INSPECT = load("container_inspect.json")
STATS = load("container_stats.json")
VERSION = load("version.json")
INFO = load("info.json")
with open(os.path.join(TPL, "events.ndjson")) as f:
    EVENTS = [json.loads(l) for l in f if l.strip()]

BOOT = int(time.time())


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000000Z", time.gmtime(t))


class Container:
    """The i-th container of engine e: mostly healthy, a few in trouble."""

    def __init__(self, e, i):
        self.id = "%06x%06x" % (i + 0xa00000, e) + "%052x" % (0xfa4e * (i + 1) * (e + 1))
        self.name = "svc-%03d" % i if i % 7 else "job-%03d" % i
        kind = i % 50
        self.state = "exited" if kind == 13 else "running"
        self.health = (None if i % 3 == 0 else "unhealthy" if kind == 7 else
                       "starting" if kind == 29 else "healthy")
        self.exit_code = 1 if self.state == "exited" else 0
        self.restarts = (i * 7 + e) % 5 if i % 11 == 0 else 0
        self.started = BOOT - 60 * ((i * 37 + e * 11) % 600) - 30
        self.cpu_ns_per_s = ((i * 13 + e) % 40) * 5_000_000      # 0..19.5 % of a core
        self.mem = (16 + (i * 29 + e) % 480) * 1024 * 1024

    def status(self, now):
        if self.state == "exited":
            return "Exited (%d) 5 minutes ago" % self.exit_code
        up = now - self.started
        txt = ("%d minutes" % (up // 60)) if up < 3600 else ("%d hours" % (up // 3600))
        return "Up " + txt + (" (%s)" % self.health if self.health else "")

    def list_item(self, now):
        c = copy.deepcopy(LIST_ITEM)
        c["Id"] = self.id
        c["Names"] = ["/" + self.name]
        c["State"] = self.state
        c["Status"] = self.status(now)
        c["Created"] = self.started - 60
        return c

    def inspect(self, now):
        c = copy.deepcopy(INSPECT)
        c["Id"] = self.id
        c["Name"] = "/" + self.name
        c["RestartCount"] = self.restarts
        st = c["State"]
        st["Status"] = self.state
        st["Running"] = self.state == "running"
        st["ExitCode"] = self.exit_code
        st["StartedAt"] = iso(self.started)
        if self.state == "exited":
            st["Pid"] = 0
            st["FinishedAt"] = iso(now - 300)
        if self.health is None:
            st.pop("Health", None)
            c["Config"].pop("Healthcheck", None)
        else:
            st["Health"]["Status"] = self.health
            st["Health"]["FailingStreak"] = 3 if self.health == "unhealthy" else 0
        return c

    def stats(self, now):
        s = copy.deepcopy(STATS)
        s["id"] = self.id
        s["name"] = "/" + self.name
        s["read"] = iso(now)
        if self.state != "running":
            s["cpu_stats"] = {"cpu_usage": {"total_usage": 0}, "throttling_data": {}}
            s["memory_stats"] = {}
            return s
        t = time.time()
        s["cpu_stats"]["cpu_usage"]["total_usage"] = int((t - self.started) * self.cpu_ns_per_s)
        s["cpu_stats"]["system_cpu_usage"] = int(t * 2e9)
        s["precpu_stats"]["cpu_usage"]["total_usage"] = int((t - 1 - self.started) * self.cpu_ns_per_s)
        s["precpu_stats"]["system_cpu_usage"] = int((t - 1) * 2e9)
        s["memory_stats"]["usage"] = self.mem
        s["memory_stats"]["stats"]["inactive_file"] = 0
        return s


INACTIVE = 8 * 1024 * 1024     # the page cache a cgroup's memory.stat reports
V1_NO_LIMIT = 9223372036854771712


class Cgroups:
    """One engine's containers' cgroup files under root, v1 or v2 (cgroupfs)."""

    def __init__(self, root, version, containers):
        self.version = version
        self.run = [c for c in containers if c.state == "running"]
        self.cpu = {}
        for c in self.run:
            if version == "1":
                cpu = os.path.join(root, "cpuacct", "docker", c.id)
                mem = os.path.join(root, "memory", "docker", c.id)
                os.makedirs(cpu, exist_ok=True)
                os.makedirs(mem, exist_ok=True)
                self.put(os.path.join(mem, "memory.usage_in_bytes"), "%d\n" % (c.mem + INACTIVE))
                self.put(os.path.join(mem, "memory.limit_in_bytes"), "%d\n" % V1_NO_LIMIT)
                self.put(os.path.join(mem, "memory.stat"),
                         "cache %d\nrss %d\ntotal_cache %d\ntotal_rss %d\n"
                         "total_inactive_file %d\ntotal_active_file 0\n" % (INACTIVE, c.mem, INACTIVE, c.mem, INACTIVE))
                self.cpu[c.id] = os.path.join(cpu, "cpuacct.usage")
            else:
                d = os.path.join(root, "docker", c.id)
                os.makedirs(d, exist_ok=True)
                self.put(os.path.join(d, "memory.current"), "%d\n" % (c.mem + INACTIVE))
                self.put(os.path.join(d, "memory.max"), "max\n")
                self.put(os.path.join(d, "memory.stat"),
                         "anon %d\nfile %d\nactive_file 0\ninactive_file %d\n" % (c.mem, INACTIVE, INACTIVE))
                self.cpu[c.id] = os.path.join(d, "cpu.stat")
        self.tick()

    @staticmethod
    def put(path, text):
        with open(path, "w") as f:
            f.write(text)

    def tick(self):
        t = time.time()
        for c in self.run:
            ns = int((t - c.started) * c.cpu_ns_per_s)
            if self.version == "1":
                self.put(self.cpu[c.id], "%d\n" % ns)
            else:
                us = ns // 1000
                self.put(self.cpu[c.id], "usage_usec %d\nuser_usec %d\nsystem_usec %d\n"
                         % (us, us * 3 // 4, us - us * 3 // 4))


class Engine:
    def __init__(self, e, m):
        self.e = e
        self.cgroups = None
        self.containers = [Container(e, i) for i in range(m)]
        self.by_id = {}
        for c in self.containers:
            self.by_id[c.id] = c
            self.by_id[c.id[:12]] = c
            self.by_id[c.name] = c
        self.counts = {}

    def count(self, key):
        self.counts[key] = self.counts.get(key, 0) + 1


def endpoint(path):
    """The counter's name: /v1.41/containers/ab12/stats -> containers/ID/stats."""
    p = re.sub(r"^/v1\.\d+", "", path).lstrip("/")
    parts = p.split("/")
    if len(parts) >= 2 and parts[0] == "containers" and parts[1] != "json":
        parts[1] = "ID"
    return "/".join(parts) or "/"


def reply(status, body, ctype="application/json", extra=""):
    if isinstance(body, (dict, list)):
        body = json.dumps(body, separators=(",", ":")) + "\n"
    data = body.encode() if isinstance(body, str) else body
    reason = {200: "OK", 403: "Forbidden", 404: "Not Found", 400: "Bad Request"}.get(status, "OK")
    head = ("HTTP/1.1 %d %s\r\nApi-Version: 1.41\r\nContent-Type: %s\r\n"
            "Docker-Experimental: false\r\nOstype: linux\r\nServer: Docker/20.10.24+dfsg1 (linux)\r\n"
            "Content-Length: %d\r\n%s\r\n" % (status, reason, ctype, len(data), extra))
    return head.encode() + data


async def events(writer, eng, query):
    """The events stream: chunked; the template's events when until= asks for
    a bounded window, else nothing new until the client hangs up."""
    writer.write(b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                 b"Server: Docker/20.10.24+dfsg1 (linux)\r\nTransfer-Encoding: chunked\r\n\r\n")
    if "until" in query:
        for ev in EVENTS:
            line = (json.dumps(ev) + "\n").encode()
            writer.write(b"%x\r\n%s\r\n" % (len(line), line))
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return False
    await writer.drain()
    try:
        while True:
            await asyncio.sleep(3600)
    except asyncio.CancelledError:
        raise


async def handle(eng, reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            clen = 0
            for h in lines[1:]:
                if h.lower().startswith("content-length:"):
                    clen = int(h.split(":", 1)[1])
            if clen:
                await reader.readexactly(clen)
            u = urllib.parse.urlsplit(target)
            path, query = u.path, urllib.parse.parse_qs(u.query)
            now = int(time.time())
            if path == "/_counters":
                writer.write(reply(200, eng.counts))
                await writer.drain()
                continue
            ep = endpoint(path)
            eng.count(ep)
            if method not in ("GET", "HEAD"):
                writer.write(reply(403, {"message": "fake_dockerd is read-only"}))
            elif ep == "_ping":
                writer.write(reply(200, "OK", "text/plain; charset=utf-8"))
            elif ep == "version":
                writer.write(reply(200, VERSION))
            elif ep == "info":
                info = dict(INFO)
                n = len(eng.containers)
                running = sum(c.state == "running" for c in eng.containers)
                info.update(Containers=n, ContainersRunning=running, ContainersStopped=n - running,
                            Name="fake-%d" % eng.e)
                if eng.cgroups is not None:
                    info.update(CgroupVersion=eng.cgroups.version, CgroupDriver="cgroupfs")
                writer.write(reply(200, info))
            elif ep == "containers/json":
                writer.write(reply(200, [c.list_item(now) for c in eng.containers]))
            elif ep == "events":
                if not await events(writer, eng, query):
                    return
                continue
            elif ep.startswith("containers/ID/"):
                cid = path.split("/")[-2]
                c = eng.by_id.get(cid)
                what = ep.split("/")[-1]
                if c is None:
                    writer.write(reply(404, {"message": "No such container: " + cid}))
                elif what == "json":
                    writer.write(reply(200, c.inspect(now)))
                elif what == "stats":
                    writer.write(reply(200, c.stats(now)))
                elif what == "logs":
                    writer.write(reply(200, b"", "application/vnd.docker.raw-stream"))
                else:
                    writer.write(reply(404, {"message": "page not found"}))
            else:
                writer.write(reply(404, {"message": "page not found"}))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.LimitOverrunError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--hosts", type=int, default=2)
    ap.add_argument("--containers", type=int, default=20)
    ap.add_argument("--pidfile")
    ap.add_argument("--cgroup-root")
    ap.add_argument("--cgroup", choices=("v1", "v2"), default="v1")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    servers = []
    engines = []
    for e in range(a.hosts):
        eng = Engine(e, a.containers)
        if a.cgroup_root:
            eng.cgroups = Cgroups(a.cgroup_root.replace("%d", str(e)), a.cgroup[1], eng.containers)
        engines.append(eng)
        sock = os.path.join(a.dir, "engine-%d.sock" % e)
        if os.path.exists(sock):
            os.unlink(sock)
        servers.append(await asyncio.start_unix_server(
            lambda r, w, eng=eng: handle(eng, r, w), path=sock, limit=1 << 20))
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    print("fake_dockerd: %d engines x %d containers in %s%s" % (
        a.hosts, a.containers, a.dir,
        ", cgroup %s files under %s" % (a.cgroup, a.cgroup_root) if a.cgroup_root else ""), flush=True)
    if a.cgroup_root:
        async def ticker():
            while True:
                await asyncio.sleep(1)
                for eng in engines:
                    eng.cgroups.tick()
        tick = asyncio.create_task(ticker())
    await stop.wait()
    if a.cgroup_root:
        tick.cancel()
    for s in servers:
        s.close()


if __name__ == "__main__":
    asyncio.run(main())

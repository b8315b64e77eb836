#!/usr/bin/env python3
"""fake-engine.py SOCKET MODEFILE — a Docker Engine API stand-in on a unix socket
for the fault suite.  The mode is read from MODEFILE at every request, so the
test switches it while kitetop runs:

  ok        a healthy engine with one running container, "fakeweb"
  garbage   200 with bytes that are not JSON
  truncated 200 with a Content-Length of 4096 and 100 bytes, then closed
  huge      200 with a 100 MB body, sent as fast as it is read
  slow      200 headers, then one byte every 0.5 s, forever
  flood     containers as in ok, and an event stream that never stops
            (thousands of events a second)
  silent    accepts, never answers

/_ping and /version answer in every mode but silent (kitetop connects, then
meets the fault on the list): the fault is the engine's answers, not its
absence (that is "dockerd stopped").
"""
import json, os, socket, sys, threading, time

SOCK, MODEFILE = sys.argv[1], sys.argv[2]
CID = "f" * 12 + "0123456789abcdef" * 3 + "0123"
NOW = int(time.time())


def mode():
    try:
        with open(MODEFILE) as f:
            return f.read().strip() or "ok"
    except OSError:
        return "ok"


def send(c, status, body, ctype="application/json", extra=""):
    if isinstance(body, str):
        body = body.encode()
    c.sendall(("HTTP/1.1 %s\r\nApi-Version: 1.41\r\nContent-Type: %s\r\n"
               "Content-Length: %d\r\nConnection: close\r\n%s\r\n"
               % (status, ctype, len(body), extra)).encode() + body)


def container():
    return {"Id": CID, "Names": ["/fakeweb"], "Image": "kitestacks/busybox:lab",
            "ImageID": "sha256:" + "ab" * 32, "Command": "httpd", "Created": NOW - 3600,
            "State": "running", "Status": "Up 1 hour", "Ports": [], "Labels": {},
            "Mounts": [], "NetworkSettings": {"Networks": {}}, "HostConfig": {"NetworkMode": "host"}}


def inspect():
    return {"Id": CID, "Name": "/fakeweb", "Created": "2026-01-01T00:00:00Z",
            "RestartCount": 0, "Image": "sha256:" + "ab" * 32,
            "State": {"Status": "running", "Running": True, "Pid": 1, "ExitCode": 0,
                      "StartedAt": "2026-01-01T00:00:00Z", "FinishedAt": "0001-01-01T00:00:00Z"},
            "Config": {"Image": "kitestacks/busybox:lab", "Labels": {}, "Cmd": ["httpd"]},
            "HostConfig": {"RestartPolicy": {"Name": "no"}}, "Mounts": [],
            "NetworkSettings": {"Ports": {}}}


def events(c, flood):
    c.sendall(b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    ev = json.dumps({"Type": "container", "Action": "exec_start: sh", "status": "exec_start: sh",
                     "id": CID, "Actor": {"ID": CID, "Attributes": {"name": "fakeweb"}},
                     "time": NOW, "timeNano": NOW * 10**9}).encode() + b"\n"
    chunk = b"%x\r\n%s\r\n" % (len(ev) * 50, ev * 50)
    while True:
        m = mode()
        if m == "flood":
            c.sendall(chunk)
            time.sleep(0.01)
        elif m in ("ok",):
            time.sleep(0.2)
        else:
            return  # the stream ends: kitetop asks again, and meets the fault


def handle(c):
    try:
        c.settimeout(None)
        req = b""
        while b"\r\n\r\n" not in req:
            d = c.recv(4096)
            if not d:
                return
            req += d
        line = req.split(b"\r\n", 1)[0].decode("latin-1")
        path = line.split(" ")[1] if " " in line else "/"
        m = mode()
        if m == "silent":
            while mode() == "silent":
                time.sleep(0.2)
            return
        if path.startswith("/_ping"):
            return send(c, "200 OK", "OK", "text/plain")
        if path.startswith("/version"):
            return send(c, "200 OK", json.dumps({"Version": "20.10.99-fake", "ApiVersion": "1.41",
                                                  "MinAPIVersion": "1.12", "Os": "linux",
                                                  "Arch": "amd64"}))
        if "/events" in path:
            if m in ("ok", "flood"):
                return events(c, m == "flood")
        if m == "garbage":
            return send(c, "200 OK", b"\x00\xff<html>not json]]}}\x1b[2J" * 40)
        if m == "truncated":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 4096\r\n\r\n" + b'[{"Id":"' + b"a" * 92)
            return
        if m == "huge":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n[" % (100 * 1024 * 1024))
            block = b" " * 65536
            for _ in range(100 * 16):
                c.sendall(block)
            return
        if m == "slow":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n")
            while mode() == "slow":
                c.sendall(b"1\r\n \r\n")
                time.sleep(0.5)
            return
        # ok and flood
        if path.split("?")[0].endswith("/containers/json"):
            return send(c, "200 OK", json.dumps([container()]))
        if "/stats" in path:
            return send(c, "404 Not Found", '{"message":"no stats here"}')
        if path.split("?")[0].endswith("/json") and "/containers/" in path:
            return send(c, "200 OK", json.dumps(inspect()))
        return send(c, "404 Not Found", '{"message":"page not found"}')
    except OSError:
        pass
    finally:
        try:
            c.close()
        except OSError:
            pass


def main():
    try:
        os.unlink(SOCK)
    except OSError:
        pass
    s = socket.socket(socket.AF_UNIX)
    s.bind(SOCK)
    s.listen(64)
    print("ready", flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


main()

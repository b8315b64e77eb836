#!/usr/bin/python3
"""authentik-standin.py — the lab's stand-in for Authentik's HTTP API (stdlib only).

Answers the endpoints kitetop reads with the shapes of the real API (its
OpenAPI schema and the recorded answers in tests/fixtures/authentik); the lab's busybox `authentik` containers serve only the per-host health paths.

  /-/health/live/                          200, empty body
  /-/health/ready/                         200 when PostgreSQL accepts a TCP connection and
                                           Redis answers PING, else 503 (as the real one)
  /api/v3/admin/system/                    runtime, server_time, http_host ...
  /api/v3/admin/version/                   version_current, version_latest, outdated ...
  /api/v3/admin/workers/                   the newer list form, one worker per lab host
  /api/v3/outposts/instances/              paginated list with the embedded outpost
  /api/v3/outposts/instances/{uuid}/health/  one entry per lab host

API paths need `Authorization: Bearer TOKEN` (the token file's content); otherwise 403
with a DRF-style {"detail": ...} body, like authentik.
"""
import argparse
import datetime
import json
import socket
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "2025.10.1"
VERSION_LATEST = "2025.10.2"
BUILD_HASH = "8c2a0e6d41f3b9a7e5d2c1b0a9f8e7d6c5b4a3f2"
OUTPOST_UUID = "3f9d8a52-6c1e-4c1b-9a57-2f0e5d6c7b81"


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def tcp_ok(addr, timeout=1.0):
    host, port = addr.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def redis_ok(addr, password, timeout=1.0):
    host, port = addr.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as s:
            s.settimeout(timeout)
            cmd = b""
            if password:
                pw = password.encode()
                cmd += b"*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n" % (len(pw), pw)
            cmd += b"*1\r\n$4\r\nPING\r\n"
            s.sendall(cmd)
            data = b""
            while b"PONG" not in data and not data.startswith(b"-"):
                chunk = s.recv(256)
                if not chunk:
                    break
                data += chunk
            return b"+PONG" in data
    except OSError:
        return False


def paginated(results):
    n = len(results)
    return {
        "pagination": {"next": 0, "previous": 0, "count": n, "current": 1, "total_pages": 1,
                       "start_index": 1 if n else 0, "end_index": n},
        "results": results,
        "autocomplete": {},
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "authentik-standin"
    protocol_version = "HTTP/1.1"

    def send_body(self, status, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        if data or ctype != "application/json":
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def authorized(self):
        cfg = self.server.cfg
        auth = self.headers.get("Authorization", "")
        if not auth:
            self.send_body(403, {"detail": "Authentication credentials were not provided."})
            return False
        if not auth.startswith("Bearer ") or auth[len("Bearer "):].strip() != cfg.token:
            self.send_body(403, {"detail": "Token invalid/expired"})
            return False
        return True

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        cfg = self.server.cfg
        path = self.path.split("?", 1)[0]
        if path == "/-/health/live/":
            return self.send_body(200, b"", "text/plain")
        if path == "/-/health/ready/":
            ok = tcp_ok(cfg.postgres) and redis_ok(cfg.redis, cfg.redis_password)
            return self.send_body(200 if ok else 503, b"", "text/plain")
        if not path.startswith("/api/v3/"):
            return self.send_body(404, b"Not Found", "text/plain")
        if not self.authorized():
            return None
        if path == "/api/v3/admin/system/":
            return self.send_body(200, {
                "http_headers": {},
                "http_host": self.headers.get("Host", ""),
                "http_is_secure": False,
                "runtime": {
                    "python_version": "3.12.11",
                    "environment": "compose",
                    "architecture": "x86_64",
                    "platform": "linux",
                    "uname": "Linux kitestacks 6.1.0-37-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.140-1 x86_64",
                    "openssl_version": "OpenSSL 3.0.16 11 Feb 2025",
                    "openssl_fips_enabled": False,
                    "authentik_version": VERSION,
                },
                "brand": "authentik-default",
                "server_time": now_iso(),
                "embedded_outpost_disabled": False,
                "embedded_outpost_host": "",
            })
        if path == "/api/v3/admin/version/":
            return self.send_body(200, {
                "version_current": VERSION,
                "version_latest": VERSION_LATEST,
                "version_latest_valid": True,
                "build_hash": BUILD_HASH,
                "outdated": True,
                "outpost_outdated": False,
            })
        if path == "/api/v3/admin/workers/":
            return self.send_body(200, [
                {"worker_id": "authentik-worker-1@%s" % name, "version": VERSION,
                 "version_matching": True} for name, _ in cfg.hosts])
        if path == "/api/v3/outposts/instances/":
            return self.send_body(200, paginated([{
                "pk": OUTPOST_UUID, "name": "authentik Embedded Outpost", "type": "proxy",
                "providers": [1, 2, 3], "providers_obj": [], "service_connection": None,
                "service_connection_obj": None, "refresh_interval_s": 30,
                "token_identifier": "ak-outpost-%s-api" % OUTPOST_UUID,
                "config": {"authentik_host": "https://auth.kitestacks.com"}, "managed": "goauthentik.io/outposts/embedded",
            }]))
        if path == "/api/v3/outposts/instances/%s/health/" % OUTPOST_UUID:
            return self.send_body(200, [{
                "uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, "outpost.%s.kitestacks" % name)),
                "last_seen": now_iso(), "version": VERSION, "golang_version": "go1.24.6",
                "openssl_enabled": True, "openssl_version": "OpenSSL 3.0.16 11 Feb 2025",
                "fips_enabled": False, "version_should": VERSION, "version_outdated": False,
                "build_hash": BUILD_HASH, "build_hash_should": BUILD_HASH, "hostname": name,
            } for name, _ in cfg.hosts])
        if path.startswith("/api/v3/outposts/instances/") and path.endswith("/health/"):
            return self.send_body(404, {"detail": "No Outpost matches the given query."})
        return self.send_body(404, {"detail": "Not found."})

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (now_iso(), fmt % args))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--listen", required=True, help="ADDR:PORT")
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--postgres", required=True, help="ADDR:PORT checked by /-/health/ready/")
    ap.add_argument("--redis", required=True, help="ADDR:PORT checked by /-/health/ready/")
    ap.add_argument("--redis-password-file")
    ap.add_argument("--host", action="append", default=[], help="NAME=ADDR of a lab host")
    cfg = ap.parse_args()
    with open(cfg.token_file) as f:
        cfg.token = f.read().strip()
    cfg.redis_password = None
    if cfg.redis_password_file:
        with open(cfg.redis_password_file) as f:
            cfg.redis_password = f.read().strip()
    cfg.hosts = [tuple(h.split("=", 1)) for h in cfg.host]
    addr, port = cfg.listen.rsplit(":", 1)
    srv = ThreadingHTTPServer((addr, int(port)), Handler)
    srv.daemon_threads = True
    srv.cfg = cfg
    sys.stderr.write("%s authentik stand-in listening on %s\n" % (now_iso(), cfg.listen))
    srv.serve_forever()


if __name__ == "__main__":
    main()

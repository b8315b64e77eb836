#!/usr/bin/python3
"""cloudflare-standin.py — the lab's stand-in for the Cloudflare Tunnel API (stdlib only).

Serves, under /client/v4 and with the real envelope {success, errors, messages, result}
(the shapes of Cloudflare's API v4 reference for Tunnels):

  GET /client/v4/accounts/{account}/cfd_tunnel                    the tunnel list
  GET /client/v4/accounts/{account}/cfd_tunnel/{tunnel}           the tunnel (status ...)
  GET /client/v4/accounts/{account}/cfd_tunnel/{tunnel}/connections  its connectors

A lab host's connector is live only while that host's connector container runs: at every
request the stand-in asks the host's own dockerd (unix socket, Engine API) for the
container's state and reads the connector id from the container's /ready, as kitetop
matches a connector to its host by that id. After the container stops, its connections
stay listed for --pending-seconds with "is_pending_reconnect": true, then disappear.

Every request needs `Authorization: Bearer TOKEN` (the token file's content).
"""
import argparse
import datetime
import http.client
import json
import socket
import sys
import threading
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_VERSION = "2024.8.2"
FEATURES = ["ha-origin", "serialized_headers", "support_datagram_v2", "support_quic_eof",
            "management_logs"]
CREATED_AT = "2024-03-01T09:00:00.000000Z"
COLOS = {0: ["fra08", "ams01", "fra08", "ams01"], 1: ["fra02", "cdg01", "fra02", "cdg01"]}


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_docker_time(s):
    """Docker's RFC 3339 with nanoseconds -> aware datetime (None for the zero time)."""
    if not s or s.startswith("0001-"):
        return None
    s = s.rstrip("Z")
    if "." in s:
        head, frac = s.split(".", 1)
        s = head + "." + frac[:6]
    else:
        s += ".0"
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.timezone.utc)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=2.0):
        super().__init__("localhost", timeout=timeout)
        self.sock_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.sock_path)
        self.sock = s


class Host:
    def __init__(self, index, spec):
        self.index = index
        parts = spec.split(",")
        self.name, self.addr, self.sock, self.ready_url = parts[:4]
        self.container = parts[4] if len(parts) > 4 else None   # else --container
        self.connector_id = None   # last id seen at the container's /ready
        self.run_at = None

    def container_state(self, container):
        """(running, started_at, finished_at) from the host's own dockerd."""
        try:
            c = UnixHTTPConnection(self.sock)
            c.request("GET", "/v1.41/containers/%s/json" % container)
            r = c.getresponse()
            body = r.read()
            c.close()
        except OSError:
            return False, None, None
        if r.status != 200:
            return False, None, None
        st = json.loads(body).get("State") or {}
        return (bool(st.get("Running")) and not st.get("Paused"),
                parse_docker_time(st.get("StartedAt")), parse_docker_time(st.get("FinishedAt")))

    def ready(self):
        """The connectorId and readyConnections that the connector's /ready reports."""
        try:
            with urllib.request.urlopen(self.ready_url, timeout=1.5) as r:
                d = json.loads(r.read())
            return d.get("connectorId"), int(d.get("readyConnections", 0))
        except (OSError, ValueError):
            return None, 0

    def connector(self, container, pending_seconds):
        """This host's connector as the API lists it, or None."""
        running, started, finished = self.container_state(container)
        if running:
            cid, nconn = self.ready()
            if cid is None:
                return None
            self.connector_id, self.run_at = cid, started
            pending = False
        else:
            if self.connector_id is None or finished is None:
                return None
            if (now() - finished).total_seconds() > pending_seconds:
                return None
            nconn = 4
            pending = True
        opened = self.run_at + datetime.timedelta(seconds=1) if self.run_at else now()
        conns = []
        for i in range(nconn):
            cu = str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/%d" % (self.connector_id, i)))
            conns.append({
                "id": cu, "uuid": cu, "client_id": self.connector_id,
                "client_version": CLIENT_VERSION,
                "colo_name": COLOS[self.index % 2][i % 4],
                "origin_ip": self.addr, "opened_at": iso(opened),
                "is_pending_reconnect": pending,
            })
        return {
            "id": self.connector_id, "arch": "linux_amd64", "version": CLIENT_VERSION,
            "config_version": 5, "run_at": iso(self.run_at or now()), "features": FEATURES,
            "conns": conns,
        }


class State:
    def __init__(self, cfg):
        self.cfg = cfg
        self.lock = threading.Lock()
        self.active_at = None
        self.inactive_at = None

    def connectors(self):
        with self.lock:
            out = []
            for h in self.cfg.hosts:
                c = h.connector(h.container or self.cfg.container, self.cfg.pending_seconds)
                if c is not None:
                    out.append(c)
            return out

    def tunnel(self):
        conns = self.connectors()
        live = [c for c in conns if any(not k["is_pending_reconnect"] for k in c["conns"])]
        with self.lock:
            if live:
                if self.active_at is None or self.inactive_at is not None:
                    self.active_at = now()
                self.inactive_at = None
                status = "healthy"
            else:
                if self.active_at is not None and self.inactive_at is None:
                    self.inactive_at = now()
                status = "down" if self.active_at is not None else "inactive"
            flat = []
            for c in conns:
                for k in c["conns"]:
                    flat.append({"colo_name": k["colo_name"], "uuid": k["uuid"], "id": k["id"],
                                 "is_pending_reconnect": k["is_pending_reconnect"],
                                 "origin_ip": k["origin_ip"], "opened_at": k["opened_at"],
                                 "client_id": k["client_id"],
                                 "client_version": k["client_version"]})
            return {
                "id": self.cfg.tunnel, "account_tag": self.cfg.account,
                "created_at": CREATED_AT, "deleted_at": None, "name": "kitestacks",
                "connections": flat,
                "conns_active_at": iso(self.active_at) if self.active_at and live else None,
                "conns_inactive_at": iso(self.inactive_at) if self.inactive_at else None,
                "tun_type": "cfd_tunnel", "metadata": {}, "status": status,
                "remote_config": True, "config_src": "cloudflare",
            }


def envelope(result, errors=None, info=None):
    e = {"success": not errors, "errors": errors or [], "messages": [], "result": result}
    if info is not None:
        e["result_info"] = info
    return e


class Handler(BaseHTTPRequestHandler):
    server_version = "cloudflare"
    protocol_version = "HTTP/1.1"

    def send_json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message, chain=None):
        err = {"code": code, "message": message}
        if chain:
            err["error_chain"] = chain
        self.send_json(status, envelope(None, [err]))

    def do_GET(self):
        cfg = self.server.cfg
        auth = self.headers.get("Authorization")
        if auth is None:
            return self.error(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            return self.error(400, 6003, "Invalid request headers",
                              [{"code": 6111, "message": "Invalid format for Authorization header"}])
        if auth[7:].strip() != cfg.token:
            return self.error(403, 10000, "Authentication error")
        parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
        # client v4 accounts ACCOUNT cfd_tunnel [TUNNEL [connections]]
        if parts[:2] != ["client", "v4"] or len(parts) < 5 or parts[2] != "accounts" \
                or parts[4] != "cfd_tunnel":
            return self.error(404, 7003, "Could not route to %s, perhaps your object identifier is invalid?" % self.path)
        if parts[3] != cfg.account:
            return self.error(403, 10000, "Authentication error")
        st = self.server.state
        if len(parts) == 5:
            t = st.tunnel()
            return self.send_json(200, envelope([t], info={"page": 1, "per_page": 20, "count": 1,
                                                          "total_count": 1, "total_pages": 1}))
        if parts[5] != cfg.tunnel:
            return self.error(404, 1003, "Tunnel not found")
        if len(parts) == 6:
            return self.send_json(200, envelope(st.tunnel()))
        if len(parts) == 7 and parts[6] == "connections":
            return self.send_json(200, envelope(st.connectors()))
        return self.error(404, 7003, "Could not route to %s, perhaps your object identifier is invalid?" % self.path)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (iso(now()), fmt % args))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--listen", required=True, help="ADDR:PORT")
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--account", required=True)
    ap.add_argument("--tunnel", required=True)
    ap.add_argument("--container", default="cloudflared")
    ap.add_argument("--pending-seconds", type=float, default=20.0)
    ap.add_argument("--host", action="append", default=[],
                    help="NAME,ADDR,DOCKER_SOCKET,READY_URL[,CONTAINER] of a lab host "
                         "(repeat; CONTAINER defaults to --container)")
    cfg = ap.parse_args()
    with open(cfg.token_file) as f:
        cfg.token = f.read().strip()
    cfg.hosts = [Host(i, h) for i, h in enumerate(cfg.host)]
    addr, port = cfg.listen.rsplit(":", 1)
    srv = ThreadingHTTPServer((addr, int(port)), Handler)
    srv.daemon_threads = True
    srv.cfg = cfg
    srv.state = State(cfg)
    sys.stderr.write("%s cloudflare stand-in listening on %s\n" % (iso(now()), cfg.listen))
    srv.serve_forever()


if __name__ == "__main__":
    main()

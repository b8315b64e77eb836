"""The HTTPS handler: auth, discovery, list/get/watch, patch/put/delete/create, eviction,
metrics, health, and the /_standin/ control endpoints.  See tests/lab/kube-standin.py."""
import gzip
import json
import queue
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import objects, resources, sim, store as st

CRD_GROUPS_PREFIX = ("kustomize.", "helm.", "source.", "argoproj.io", "longhorn.io",
                     "postgresql.cnpg.io")
READYZ = ["ping", "log", "etcd", "etcd-readiness", "informer-sync",
          "poststarthook/start-apiserver-admission-initializer",
          "poststarthook/generic-apiserver-start-informers",
          "poststarthook/start-apiextensions-controllers", "poststarthook/crd-informer-synced",
          "poststarthook/rbac/bootstrap-roles", "poststarthook/apiservice-registration-controller",
          "shutdown"]


class APIError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.status = resources.status(code, reason, message, details)


def not_found(plural, name, group=""):
    return APIError(404, "NotFound", '%s%s "%s" not found' % (plural, "." + group if group else "",
                                                              name),
                    {"name": name, "kind": plural, **({"group": group} if group else {})})


def is_crd(rtype):
    return rtype.group.startswith(CRD_GROUPS_PREFIX) or rtype.group in CRD_GROUPS_PREFIX


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, addr, ctx, cfg, store, types):
        super().__init__(addr, Handler)
        self.ctx, self.cfg, self.store = ctx, cfg, store
        self.types = {(t.gv, t.plural): t for t in types}
        self.type_list = types
        self.log_lock = threading.Lock()
        self.log = open(cfg.dir + "/requests.jsonl", "a", buffering=1)
        self.requests = {}
        self.open_watches = {}
        self.hang_until = 0.0
        self.huge_mb = 0
        self.watch_close_now = cfg.watch_close_immediately
        self.etcd_ok = True

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def finish_request(self, request, client_address):
        try:
            request.settimeout(10)
            request.do_handshake()
            request.settimeout(None)
        except (ssl.SSLError, OSError):
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        e = sys.exc_info()[1]
        if not isinstance(e, (ssl.SSLError, ConnectionError, BrokenPipeError, socket.timeout)):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kube-standin"

    # ---- plumbing ----
    def log_message(self, fmt, *args):
        pass

    def record(self, status, extra=None):
        srv = self.server
        line = {"time": objects.now(), "method": self.command, "path": self.url.path,
                "query": self.url.query, "content_type": self.headers.get("Content-Type"),
                "body": self.body.decode("utf-8", "replace") if self.body else "",
                "user_agent": self.headers.get("User-Agent"),
                "accept": self.headers.get("Accept"), "user": getattr(self, "user", None),
                "status": status}
        if extra:
            line.update(extra)
        with srv.log_lock:
            srv.log.write(json.dumps(line) + "\n")
            key = "%s %s" % (self.command, self.url.path)
            srv.requests[key] = srv.requests.get(key, 0) + 1

    def send_bytes(self, code, data, ctype="application/json"):
        gz = len(data) > 128 * 1024 and "gzip" in (self.headers.get("Accept-Encoding") or "")
        if gz:
            data = gzip.compress(data, 1)
        self.record(code)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", objects.hexid(str(time.time()), 32))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_json(self, code, obj):
        self.send_bytes(code, json.dumps(obj, separators=(",", ":")).encode())

    def q(self, name, default=None):
        v = self.query.get(name)
        return v[-1] if v else default

    def do_GET(self):
        self.dispatch()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_GET

    def dispatch(self):
        self.url = urllib.parse.urlsplit(self.path)
        self.query = urllib.parse.parse_qs(self.url.query, keep_blank_values=True)
        n = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(n) if n else b""
        try:
            self.user = self.authenticate()
            if self.user is None:
                raise APIError(401, "Unauthorized", "Unauthorized")
            if self.url.path.startswith("/_standin/"):
                return self.control()
            self.maybe_hang()
            self.route()
        except APIError as e:
            self.send_json(e.status["code"], e.status)
        except (BrokenPipeError, ConnectionError, ssl.SSLError):
            self.close_connection = True

    def authenticate(self):
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Bearer "):
            return "system:serviceaccount:kube-system:kitetop" \
                if auth[7:].strip() == self.server.cfg.token else None
        try:
            cert = self.connection.getpeercert()
        except (ValueError, AttributeError):
            cert = None
        if cert:
            for rdn in cert.get("subject", ()):
                for k, v in rdn:
                    if k == "commonName":
                        return v
        return None

    def maybe_hang(self):
        left = self.server.hang_until - time.time()
        if left > 0:
            self.record(None, {"hang": round(left, 3)})
            time.sleep(left)

    def deny(self, verb, rtype, ns, name=None):
        plural = rtype.plural
        for d in self.server.cfg.rbac_deny:
            v, _, r = d.partition(":")
            if v == verb and r in (plural, "*"):
                what = '%s "%s"' % (plural, name) if name else plural
                scope = 'in the namespace "%s"' % ns if ns else "at the cluster scope"
                raise APIError(403, "Forbidden",
                               '%s is forbidden: User "%s" cannot %s resource "%s" in API '
                               'group "%s" %s' % (what, self.user, verb, plural, rtype.group,
                                                  scope),
                               {"name": name, "kind": plural} if name else {"kind": plural})

    # ---- routing ----
    def route(self):
        p = self.url.path.rstrip("/") or "/"
        parts = [x for x in p.split("/") if x]
        types = self.server.type_list
        if self.command in ("GET", "HEAD"):
            if p == "/version":
                return self.send_json(200, resources.version_doc())
            if p in ("/readyz", "/livez", "/healthz"):
                return self.health(parts[0])
            if p == "/api":
                return self.send_json(200, resources.api_versions(self.server.cfg.addr))
            if p == "/apis":
                return self.send_json(200, resources.group_list(types))
            if (parts[:1] == ["api"] and len(parts) == 2) or \
                    (parts[:1] == ["apis"] and len(parts) == 3):
                doc = resources.resource_list(types, "/".join(parts[1:]))
                if doc is None:
                    raise APIError(404, "NotFound", "the server could not find the requested "
                                   "resource")
                return self.send_json(200, doc)
        if parts[:1] == ["api"] and len(parts) >= 3:
            gv, rest = parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 4:
            gv, rest = parts[1] + "/" + parts[2], parts[3:]
        else:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        rtype = self.server.types.get((gv, rest[0]))
        if rtype is None or len(rest) > 3 or (ns and not rtype.namespaced):
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        m = self.command
        if sub:
            if sub == "eviction" and rtype.kind == "Pod" and m == "POST":
                return self.evict(rtype, ns, name)
            if sub == "status" and m in ("GET", "PATCH", "PUT"):
                pass
            else:
                raise APIError(404, "NotFound", "the server could not find the requested "
                               "resource")
        if m in ("GET", "HEAD") and name is None:
            watch = self.q("watch", "") in ("1", "true")
            self.deny("watch" if watch else "list", rtype, ns)
            if rtype.group == "metrics.k8s.io":
                if watch:
                    raise APIError(405, "MethodNotAllowed", "the server does not allow this "
                                   "method on the requested resource")
                return self.metrics(rtype, ns)
            return self.watch(rtype, ns) if watch else self.list(rtype, ns)
        if m in ("GET", "HEAD"):
            self.deny("get", rtype, ns, name)
            if rtype.group == "metrics.k8s.io":
                return self.metrics(rtype, ns, name)
            o = self.get_obj(rtype, ns, name)
            if self.want_table():
                o = resources.table(rtype.kind, [o], o["metadata"]["resourceVersion"])
            return self.send_json(200, o)
        if m == "PATCH" and name:
            self.deny("patch", rtype, ns, name)
            return self.patch(rtype, ns, name)
        if m == "PUT" and name:
            self.deny("update", rtype, ns, name)
            return self.put(rtype, ns, name)
        if m == "DELETE" and name:
            self.deny("delete", rtype, ns, name)
            return self.delete(rtype, ns, name)
        if m == "POST" and name is None:
            self.deny("create", rtype, ns)
            return self.create(rtype, ns)
        raise APIError(405, "MethodNotAllowed", "the server does not allow this method on the "
                       "requested resource")

    def get_obj(self, rtype, ns, name):
        o = self.server.store.get(rtype, ns, name)
        if o is None:
            raise not_found(rtype.plural, name, rtype.group)
        return o

    def health(self, which):
        srv = self.server
        checks = READYZ if which != "livez" else [c for c in READYZ if c != "informer-sync"]
        lines = []
        for c in checks:
            ok = srv.etcd_ok or not c.startswith("etcd")
            lines.append("[+]%s ok" % c if ok else "[-]%s failed: reason withheld" % c)
        good = srv.etcd_ok
        text = "\n".join(lines) + "\n%s check %s\n" % (which, "passed" if good else "failed")
        if "verbose" not in self.query and good:
            text = "ok"
        self.send_bytes(200 if good else 500, text.encode(), "text/plain; charset=utf-8")

    # ---- list / watch ----
    def selectors(self):
        try:
            return (st.parse_fields(self.q("fieldSelector")),
                    st.parse_labels(self.q("labelSelector")))
        except ValueError as e:
            raise APIError(400, "BadRequest", str(e))

    def want_table(self):
        return "as=Table" in (self.headers.get("Accept") or "")

    def list(self, rtype, ns):
        fields, labels = self.selectors()
        try:
            limit = int(self.q("limit") or 0)
        except ValueError:
            raise APIError(400, "BadRequest", "invalid limit")
        try:
            items, rv, cont, remaining = self.server.store.page(
                rtype, ns, fields, labels, limit, self.q("continue"))
        except st.Gone as e:
            raise APIError(410, "Expired", str(e))
        if self.want_table():
            return self.send_json(200, resources.table(rtype.kind, items, rv, cont))
        if not is_crd(rtype):
            items = [{k: v for k, v in o.items() if k not in ("kind", "apiVersion")}
                     for o in items]
        if rtype.kind == "Pod" and self.server.huge_mb:
            items = self.pad(items, self.server.huge_mb)
            self.server.huge_mb = 0
        meta = {"resourceVersion": rv}
        if cont:
            meta["continue"] = cont
            meta["remainingItemCount"] = remaining
        self.send_json(200, {"kind": rtype.kind + "List", "apiVersion": rtype.gv,
                             "metadata": meta, "items": items})

    @staticmethod
    def pad(items, mb):
        items = [dict(o) for o in items] or [{"metadata": {"name": "padding"}}]
        per = mb * 1024 * 1024 // len(items) + 1
        for i, o in enumerate(items):
            m = dict(o.get("metadata") or {})
            m["annotations"] = dict(m.get("annotations") or {},
                                    **{"standin.kitetop.dev/padding": "x" * per})
            items[i] = dict(o, metadata=m)
        return items

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def watch(self, rtype, ns):
        srv, store = self.server, self.server.store
        fields, labels = self.selectors()
        table = self.want_table()
        try:
            timeout = float(self.q("timeoutSeconds") or srv.cfg.watch_timeout)
        except ValueError:
            raise APIError(400, "BadRequest", "invalid timeoutSeconds")
        bookmarks = self.q("allowWatchBookmarks", "") in ("1", "true") and not table
        gone = None
        try:
            w, backlog = store.watch(rtype, ns, fields, labels, self.q("resourceVersion"))
        except ValueError as e:
            raise APIError(400, "BadRequest", str(e))
        except st.Gone as e:
            if srv.cfg.gone_as_http:
                raise APIError(410, "Expired", str(e))
            w, backlog, gone = None, [], str(e)
        self.record(200, {"watch": True})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True
        wid = id(self)
        srv.open_watches[wid] = {"path": self.url.path, "query": self.url.query}

        def emit(typ, obj):
            if table and typ != "ERROR":
                obj = resources.table(rtype.kind, [obj])
            self.chunk(json.dumps({"type": typ, "object": obj},
                                  separators=(",", ":")).encode() + b"\n")

        def expired(msg):
            emit("ERROR", resources.status(410, "Expired", msg))
        try:
            if gone:
                expired(gone)
            elif not srv.watch_close_now:
                for typ, obj in backlog:
                    emit(typ, obj)
                self.stream(w, emit, expired, rtype, timeout, bookmarks)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            if w is not None:
                store.unwatch(w)
            srv.open_watches.pop(wid, None)

    def client_gone(self):
        """The watch's client closed its end, so an idle watch does not stay open until its
        timeout.  A watch's client sends nothing once it has asked: anything readable is
        its TLS close_notify (an encrypted record in TLS 1.3) or its EOF."""
        try:
            return bool(select.select([self.connection], [], [], 0)[0])
        except (OSError, ValueError):
            return True

    def stream(self, w, emit, expired, rtype, timeout, bookmarks):
        """Events of watcher w until timeout, an expiry or a close; BOOKMARKs between."""
        store = self.server.store
        end = time.time() + timeout
        period = self.server.cfg.bookmark_ms / 1000.0
        next_bm = time.time() + period
        while True:
            now = time.time()
            if now >= end or self.client_gone():
                return
            wait = min(end, next_bm) - now if bookmarks else end - now
            try:
                typ, obj = w.q.get(timeout=min(max(wait, 0.01), 0.5))
            except queue.Empty:
                if bookmarks and time.time() >= next_bm:
                    rv = store.bookmark_rv(w)
                    if rv:
                        emit("BOOKMARK", {"kind": rtype.kind, "apiVersion": rtype.gv,
                                          "metadata": {"resourceVersion": rv}})
                    next_bm = time.time() + period
                continue
            if typ == "EXPIRE":
                expired("The resourceVersion for the provided watch is too old.")
                return
            if typ == "CLOSE":
                return
            emit(typ, obj)

    # ---- writes ----
    def json_body(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError as e:
            raise APIError(400, "BadRequest", "error decoding patch: %s" % e)

    def patch(self, rtype, ns, name):
        store = self.server.store
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        body = self.json_body()
        with store.lock:
            old = self.get_obj(rtype, ns, name)
            if ctype == "application/strategic-merge-patch+json" and not is_crd(rtype):
                new = st.strategic_patch(old, body)
            elif ctype == "application/merge-patch+json":
                new = st.merge_patch(old, body)
            elif ctype == "application/json-patch+json":
                try:
                    new = st.json_patch(old, body)
                except (KeyError, IndexError, ValueError, TypeError) as e:
                    raise APIError(422, "Invalid", "the server rejected our request due to an "
                                   "error in our request: %s" % e)
            else:
                raise APIError(415, "UnsupportedMediaType",
                               "the body of the request was in an unknown format - accepted "
                               "media types include: application/json-patch+json, "
                               "application/merge-patch+json, application/apply-patch+yaml" +
                               ("" if is_crd(rtype) else
                                ", application/strategic-merge-patch+json"))
            new = json.loads(json.dumps(new))
            new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
            sim.prepare(rtype, old, new)
            if new == old:
                return self.send_json(200, old)
            new["metadata"].pop("resourceVersion", None)
            _, stored = store.put(rtype, new)
        self.send_json(200, stored)

    def put(self, rtype, ns, name):
        store = self.server.store
        new = self.json_body()
        if not isinstance(new, dict) or (new.get("metadata") or {}).get("name") != name:
            raise APIError(400, "BadRequest", "the name of the object does not match the URL")
        with store.lock:
            old = self.get_obj(rtype, ns, name)
            rv = new["metadata"].get("resourceVersion")
            if rv and rv != old["metadata"]["resourceVersion"]:
                raise APIError(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": the '
                               'object has been modified; please apply your changes to the '
                               'latest version and try again' % (rtype.plural, name),
                               {"name": name, "kind": rtype.plural})
            new["metadata"]["namespace"] = ns
            sim.prepare(rtype, old, new)
            new["metadata"].pop("resourceVersion", None)
            _, stored = store.put(rtype, new)
        self.send_json(200, stored)

    def create(self, rtype, ns):
        store = self.server.store
        new = self.json_body()
        if not isinstance(new, dict) or not (new.get("metadata") or {}).get("name"):
            raise APIError(422, "Invalid", "metadata.name: Required value")
        new["metadata"]["namespace"] = ns
        new["metadata"].pop("resourceVersion", None)
        with store.lock:
            if store.get(rtype, ns, new["metadata"]["name"]) is not None:
                raise APIError(409, "AlreadyExists", '%s "%s" already exists'
                               % (rtype.plural, new["metadata"]["name"]),
                               {"name": new["metadata"]["name"], "kind": rtype.plural})
            _, stored = store.put(rtype, new)
        self.send_json(201, stored)

    def delete(self, rtype, ns, name):
        store = self.server.store
        obj = self.get_obj(rtype, ns, name)
        if rtype.kind == "Pod" and rtype.group == "":
            sim.delete_pod(store, ns, name)
            return self.send_json(200, store.get(rtype, ns, name) or obj)
        self.send_json(200, store.delete(rtype, ns, name) or obj)

    def evict(self, rtype, ns, name):
        store = self.server.store
        self.deny("create", type("E", (), {"plural": "pods/eviction", "group": ""})(), ns, name)
        body = self.json_body() or {}
        if (body.get("metadata") or {}).get("name") not in (None, name):
            raise APIError(400, "BadRequest", "name in URL does not match name in Eviction "
                           "object")
        p = store.get(rtype, ns, name)
        if p is None:
            raise not_found("pods", name)
        pdbt = self.server.types.get(("policy/v1", "poddisruptionbudgets"))
        for b in store.items(pdbt, ns)[0] if pdbt else []:
            sel = ((b.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
            labels = p["metadata"].get("labels") or {}
            if sel and all(labels.get(k) == v for k, v in sel.items()) and \
                    (b.get("status") or {}).get("disruptionsAllowed", 0) <= 0 and \
                    not p["metadata"].get("deletionTimestamp"):
                bs = b.get("status") or {}
                raise APIError(429, "TooManyRequests", "Cannot evict pod as it would violate "
                               "the pod's disruption budget.",
                               {"causes": [{"reason": "DisruptionBudget", "message":
                                            "The disruption budget %s needs %d healthy pods and "
                                            "has %d currently" % (
                                                b["metadata"]["name"],
                                                bs.get("desiredHealthy", 1),
                                                bs.get("currentHealthy", 1))}]})
        sim.delete_pod(store, ns, name)
        self.send_json(201, resources.status(201, "", ""))

    # ---- metrics.k8s.io ----
    def metrics(self, rtype, ns, name=None):
        store = self.server.store
        core = self.server.types
        tick = int(time.time() / 15)
        out = []
        if rtype.plural == "nodes":
            for n in store.items(core[("v1", "nodes")])[0]:
                nm = n["metadata"]["name"]
                h = int(objects.hexid("%s%d" % (nm, tick), 8), 16)
                cpu = int(n["status"]["capacity"]["cpu"]) * 10 ** 9
                mem = int(n["status"]["capacity"]["memory"].rstrip("Ki"))
                out.append({"metadata": {"name": nm, "creationTimestamp": objects.now(),
                                         "labels": n["metadata"].get("labels", {})},
                            "timestamp": objects.now(), "window": "20.064s",
                            "usage": {"cpu": "%dn" % (cpu * (5 + h % 30) // 100),
                                      "memory": "%dKi" % (mem * (20 + h % 50) // 100)}})
        else:
            for p in store.items(core[("v1", "pods")], ns)[0]:
                if p["status"].get("phase") != "Running" or p["metadata"].get("deletionTimestamp"):
                    continue
                cs = []
                for c in p["spec"]["containers"]:
                    h = int(objects.hexid("%s%s%d" % (p["metadata"]["name"], c["name"], tick),
                                          8), 16)
                    cs.append({"name": c["name"],
                               "usage": {"cpu": "%dn" % (h % 200000000),
                                         "memory": "%dKi" % (8000 + h % 400000)}})
                out.append({"metadata": {"name": p["metadata"]["name"],
                                         "namespace": p["metadata"]["namespace"],
                                         "creationTimestamp": objects.now(),
                                         "labels": p["metadata"].get("labels", {})},
                            "timestamp": objects.now(), "window": "10.479s", "containers": cs})
        if name is not None:
            for o in out:
                if o["metadata"]["name"] == name:
                    return self.send_json(200, dict(o, kind=rtype.kind, apiVersion=rtype.gv))
            raise not_found(rtype.plural, name, rtype.group)
        self.send_json(200, {"kind": rtype.kind + "List", "apiVersion": rtype.gv,
                             "metadata": {}, "items": out})

    # ---- /_standin/ control ----
    def control(self):
        srv, store = self.server, self.server.store
        what = self.url.path[len("/_standin/"):]
        if what == "stats":
            return self.send_json(200, {"open_watches": len(srv.open_watches),
                                        "watches": list(srv.open_watches.values()),
                                        "requests": dict(srv.requests),
                                        "resourceVersion": str(store.rv)})
        if self.command != "POST":
            raise APIError(405, "MethodNotAllowed", "control endpoints take POST")
        if what == "set":
            obj = self.json_body()
            rtype = resources.BY_KIND.get((obj.get("apiVersion"), obj.get("kind")))
            if rtype is None or (rtype.gv, rtype.plural) not in srv.types:
                raise APIError(400, "BadRequest", "no such type served: %s %s" % (
                    obj.get("apiVersion"), obj.get("kind")))
            obj.setdefault("metadata", {}).pop("resourceVersion", None)
            typ, stored = store.put(rtype, obj)
            return self.send_json(200, {"type": typ, "object": stored})
        if what == "delete":
            d = self.json_body()
            rtype = resources.BY_KIND.get((d.get("apiVersion"), d.get("kind")))
            gone = store.delete(rtype, d.get("namespace"), d.get("name")) if rtype else None
            if gone is None:
                raise not_found(d.get("kind"), d.get("name"))
            return self.send_json(200, gone)
        if what == "expire":
            store.expire()
        elif what == "close-watches":
            store.close_watches()
        elif what == "hang":
            srv.hang_until = time.time() + float(self.q("seconds", "30"))
        elif what == "huge":
            srv.huge_mb = int(self.q("mb", "50"))
        elif what == "watch-close-immediately":
            srv.watch_close_now = self.q("on", "1") not in ("0", "false")
        elif what == "health":
            srv.etcd_ok = self.q("etcd", "ok") == "ok"
        elif what in ("node-down", "node-up"):
            fn = sim.node_down if what == "node-down" else sim.node_up
            if not fn(store, self.q("name", "")):
                raise not_found("nodes", self.q("name", ""))
        else:
            raise APIError(404, "NotFound", "no control endpoint " + what)
        self.send_json(200, {"ok": True, "resourceVersion": str(store.rv)})

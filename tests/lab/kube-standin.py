#!/usr/bin/python3
"""kube-standin.py — a Kubernetes (K3s v1.33) API server stand-in for tests (stdlib only).

  python3 tests/lab/kube-standin.py --addr 127.0.0.X --port P --dir DIR
          [--scenario axiomlayer|flux] [--pods-per-node N] [options]

Before it accepts it writes into DIR: ca.crt (the server CA), k3s.yaml (mode 0600, shaped
like K3s's own: cluster/user/context `default`, server https://127.0.0.1:PORT as K3s writes
it, base64 PEM data), kubeconfig (the same with server https://ADDR:PORT), client.crt and
client.key (CN=system:admin, O=system:masters), token (a bearer token it accepts), pid,
port, requests.jsonl (one JSON line per request: method, path, query, content_type, body,
user_agent, accept, user, status) and, once listening, ready.

HTTPS only.  A request is authorised by a client certificate signed by the client CA or
by `Authorization: Bearer <DIR/token>`; else 401 Status.  It serves discovery, list (limit,
continue, fieldSelector, labelSelector), get, watch (chunked NDJSON from a resourceVersion,
BOOKMARKs, 410 Expired, timeoutSeconds), strategic-merge / merge / JSON patch, update,
create, delete, pod eviction (429 when a PodDisruptionBudget allows no disruption),
metrics.k8s.io (no watch), /readyz and /livez, and simulates rollouts, Flux reconciles and
Argo syncs.  Control endpoints (POST, same auth): /_standin/set, /_standin/delete,
/_standin/expire, /_standin/close-watches, /_standin/hang?seconds=N,
/_standin/huge?mb=N, /_standin/watch-close-immediately?on=1|0, /_standin/health?etcd=ok|fail,
/_standin/node-down?name=N, /_standin/node-up?name=N, and GET /_standin/stats.  The modules are in tests/lab/kube/.
"""
import argparse
import base64
import os
import secrets
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kube import resources, scenarios, server, sim, store  # noqa: E402


def openssl(*args):
    subprocess.run(("openssl",) + args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def make_certs(top, addr, days, server_days):
    """Server CA + server cert (SAN 127.0.0.1, ADDR, kubernetes names), client CA + admin
    client cert, as K3s has them; all EC P-256, made in TOP/pki; TOP gets ca.crt (the
    server CA), client.crt and client.key."""
    d = top + "/pki"
    os.makedirs(d, exist_ok=True)
    stamp = str(int(time.time()))
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    for ca in ("server-ca", "client-ca"):
        openssl("req", "-x509", *ec, "-keyout", "%s/%s.key" % (d, ca), "-out",
                "%s/%s.crt" % (d, ca), "-subj", "/CN=k3s-%s@%s" % (ca, stamp), "-days", "3650")
    sans = ["DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc",
            "DNS:kubernetes.default.svc.cluster.local", "DNS:localhost", "IP:127.0.0.1",
            "IP:10.43.0.1"]
    if addr != "127.0.0.1":
        sans.append("IP:" + addr)
    with open(d + "/server.ext", "w") as f:
        f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n" % ",".join(sans))
    with open(d + "/client.ext", "w") as f:
        f.write("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,"
                "keyEncipherment\n")
    for name, subj, ca, ext, n in (("server", "/O=k3s/CN=k3s", "server-ca", "server.ext",
                                    server_days),
                                   ("client", "/O=system:masters/CN=system:admin", "client-ca",
                                    "client.ext", days)):
        openssl("req", *ec, "-keyout", "%s/%s.key" % (d, name), "-out", "%s/%s.csr" % (d, name),
                "-subj", subj)
        openssl("x509", "-req", "-in", "%s/%s.csr" % (d, name), "-CA", "%s/%s.crt" % (d, ca),
                "-CAkey", "%s/%s.key" % (d, ca), "-CAcreateserial", "-days", str(n),
                "-extfile", "%s/%s" % (d, ext), "-out", "%s/%s.crt" % (d, name))
    for src, dst, mode in (("server-ca.crt", "ca.crt", 0o644), ("client.crt", "client.crt", 0o644),
                           ("client.key", "client.key", 0o600)):
        with open(d + "/" + src, "rb") as f:
            data = f.read()
        fd = os.open(top + "/" + dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as g:
            g.write(data)


def b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def write_kubeconfig(path, d, server_url):
    text = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: %s
    server: %s
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: %s
    client-key-data: %s
""" % (b64(d + "/ca.crt"), server_url, b64(d + "/client.crt"), b64(d + "/client.key"))
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path + ".tmp", 0o600)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, required=True, help="0: any free port (see DIR/port)")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--scenario", choices=["axiomlayer", "flux"], default="axiomlayer")
    ap.add_argument("--pods-per-node", type=int, default=0,
                    help="add N healthy pods per node (namespace bench)")
    ap.add_argument("--without-group", action="append", default=[],
                    help="leave an API group out (a CRD not installed), e.g. longhorn.io")
    ap.add_argument("--rbac-deny", action="append", default=[], metavar="VERB:RESOURCE",
                    help="answer 403 Forbidden to VERB on RESOURCE (e.g. list:pods, "
                         "patch:nodes, create:pods/eviction)")
    ap.add_argument("--bookmark-ms", type=int, default=1000,
                    help="BOOKMARK period of watches that allow them")
    ap.add_argument("--watch-timeout", type=float, default=1800,
                    help="a watch's length when the request has no timeoutSeconds")
    ap.add_argument("--history", type=int, default=10000,
                    help="events kept for watches from an older resourceVersion")
    ap.add_argument("--watch-close-immediately", action="store_true")
    ap.add_argument("--gone-as-http", action="store_true",
                    help="a watch from a too old resourceVersion gets HTTP 410, not 200 + "
                         "an ERROR event")
    ap.add_argument("--cert-days", type=int, default=365,
                    help="validity of the server and client certificates (-1: expired)")
    ap.add_argument("--expired-server-cert", action="store_true")
    ap.add_argument("--heartbeat-s", type=float, default=0,
                    help="refresh Ready nodes' lastHeartbeatTime every N s (0: never)")
    cfg = ap.parse_args()
    d = cfg.dir
    os.makedirs(d, exist_ok=True)
    for f in ("ready", "port"):
        if os.path.exists(os.path.join(d, f)):
            os.unlink(os.path.join(d, f))
    with open(d + "/pid", "w") as f:
        f.write("%d\n" % os.getpid())
    make_certs(d, cfg.addr, cfg.cert_days, -1 if cfg.expired_server_cert else cfg.cert_days)
    cfg.token = secrets.token_hex(24)
    fd = os.open(d + "/token", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(cfg.token + "\n")
    open(d + "/requests.jsonl", "a").close()

    left_out, objs = scenarios.build(cfg.scenario, cfg.pods_per_node)
    left_out = set(left_out) | set(cfg.without_group)
    types = [t for t in resources.TYPES if t.group not in left_out]
    db = store.Store(cfg.history)
    by_key = {(t.gv, t.kind): t for t in types}
    for o in scenarios.namespaces(objs) + objs:
        t = by_key.get((o["apiVersion"], o["kind"]))
        if t is not None:
            db.put(t, o, quiet=True)
    db.hooks.append(sim.on_write)
    if cfg.heartbeat_s > 0:
        threading.Thread(target=sim.heartbeat, args=(db, cfg.heartbeat_s), daemon=True).start()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d + "/pki/server.crt", d + "/pki/server.key")
    ctx.load_verify_locations(d + "/pki/client-ca.crt")
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    srv = server.Server((cfg.addr, cfg.port), ctx, cfg, db, types)
    port = srv.server_address[1]
    write_kubeconfig(d + "/k3s.yaml", d, "https://127.0.0.1:%d" % port)
    write_kubeconfig(d + "/kubeconfig", d, "https://%s:%d" % (cfg.addr, port))
    with open(d + "/port", "w") as f:
        f.write("%d\n" % port)
    with open(d + "/ready", "w") as f:
        f.write("%s:%d %s\n" % (cfg.addr, port, cfg.scenario))
    sys.stderr.write("kube stand-in (%s, %d objects) on https://%s:%d\n"
                     % (cfg.scenario, len(objs), cfg.addr, port))
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

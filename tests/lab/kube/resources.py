"""The API surface: resource types, discovery documents, and server-side Table rendering.

A resource type is identified by (group, version, plural); the core group is "".  What
a scenario serves is the set of types in TYPES minus the groups it leaves out (axiomlayer
has no Flux, flux has no Argo nor CNPG), so discovery and paths agree.
"""
import datetime

RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
RO = ["get", "list"]


class RType:
    def __init__(self, group, version, plural, kind, namespaced, short=(), verbs=RW,
                 categories=()):
        self.group, self.version, self.plural, self.kind = group, version, plural, kind
        self.namespaced = namespaced
        self.short = list(short)
        self.verbs = list(verbs)
        self.categories = list(categories)
        self.singular = kind.lower()

    @property
    def gv(self):
        return "%s/%s" % (self.group, self.version) if self.group else self.version

    @property
    def key(self):
        return (self.group, self.version, self.plural)

    @property
    def watchable(self):
        return "watch" in self.verbs

    def __repr__(self):
        return "<%s %s>" % (self.gv, self.plural)


ALL = ["all"]
TYPES = [
    RType("", "v1", "namespaces", "Namespace", False, ["ns"]),
    RType("", "v1", "nodes", "Node", False, ["no"]),
    RType("", "v1", "pods", "Pod", True, ["po"], categories=ALL),
    RType("", "v1", "events", "Event", True, ["ev"]),
    RType("", "v1", "services", "Service", True, ["svc"], categories=ALL),
    RType("apps", "v1", "deployments", "Deployment", True, ["deploy"], categories=ALL),
    RType("apps", "v1", "statefulsets", "StatefulSet", True, ["sts"], categories=ALL),
    RType("apps", "v1", "daemonsets", "DaemonSet", True, ["ds"], categories=ALL),
    RType("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True, ["pdb"]),
    RType("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", False, verbs=RO),
    RType("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", True, verbs=RO),
    RType("kustomize.toolkit.fluxcd.io", "v1", "kustomizations", "Kustomization", True, ["ks"]),
    RType("helm.toolkit.fluxcd.io", "v2", "helmreleases", "HelmRelease", True, ["hr"]),
    RType("source.toolkit.fluxcd.io", "v1", "gitrepositories", "GitRepository", True,
          ["gitrepo"]),
    RType("source.toolkit.fluxcd.io", "v1", "helmrepositories", "HelmRepository", True,
          ["helmrepo"]),
    RType("argoproj.io", "v1alpha1", "applications", "Application", True, ["app", "apps"]),
    RType("longhorn.io", "v1beta2", "volumes", "Volume", True, ["lhv"]),
    RType("longhorn.io", "v1beta2", "replicas", "Replica", True, ["lhr"]),
    RType("longhorn.io", "v1beta2", "nodes", "Node", True, ["lhn"]),
    RType("postgresql.cnpg.io", "v1", "clusters", "Cluster", True),
]
BY_KIND = {}
for _t in TYPES:
    BY_KIND.setdefault((_t.gv, _t.kind), _t)


def status(code, reason, message, details=None):
    """A meta/v1 Status object, the body of every API error."""
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {},
         "status": "Success" if code < 400 else "Failure", "message": message,
         "reason": reason, "code": code}
    if code < 400:
        del s["message"], s["reason"]
    if details:
        s["details"] = details
    return s


def version_doc():
    return {"major": "1", "minor": "33", "gitVersion": "v1.33.6+k3s1",
            "gitCommit": "b5847677f4fe4fbd6ddc6a1a1e2e8b0bba5b8c21", "gitTreeState": "clean",
            "buildDate": "2025-11-12T19:13:30Z", "goVersion": "go1.24.9", "compiler": "gc",
            "platform": "linux/amd64"}


def api_versions(addr):
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                            "serverAddress": "%s:6443" % addr}]}


def group_list(types):
    groups = {}
    for t in types:
        if t.group:
            groups.setdefault(t.group, [])
            if t.version not in groups[t.group]:
                groups[t.group].append(t.version)
    out = []
    for g, vs in groups.items():
        versions = [{"groupVersion": "%s/%s" % (g, v), "version": v} for v in vs]
        out.append({"name": g, "versions": versions, "preferredVersion": versions[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": out}


def resource_list(types, gv):
    res = []
    for t in types:
        if t.gv != gv:
            continue
        r = {"name": t.plural, "singularName": t.singular, "namespaced": t.namespaced,
             "kind": t.kind, "verbs": t.verbs}
        if t.short:
            r["shortNames"] = t.short
        if t.categories:
            r["categories"] = t.categories
        res.append(r)
        if gv == "v1" and t.plural == "pods":
            res.append({"name": "pods/eviction", "singularName": "", "namespaced": True,
                        "group": "policy", "version": "v1", "kind": "Eviction",
                        "verbs": ["create"]})
            res.append({"name": "pods/status", "singularName": "", "namespaced": True,
                        "kind": "Pod", "verbs": ["get", "patch", "update"]})
        if t.kind in ("Deployment", "StatefulSet", "ReplicaSet"):
            res.append({"name": t.plural + "/scale", "singularName": "", "namespaced": True,
                        "group": "autoscaling", "version": "v1", "kind": "Scale",
                        "verbs": ["get", "patch", "update"]})
    if not res:
        return None
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": res}


# ---- server-side printing (Accept: application/json;as=Table;v=v1;g=meta.k8s.io) ----

def parse_time(s):
    try:
        return datetime.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(
            tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


def age(obj):
    t = parse_time(obj.get("metadata", {}).get("creationTimestamp"))
    if t is None:
        return "<unknown>"
    s = int((datetime.datetime.now(datetime.timezone.utc) - t).total_seconds())
    if s < 120:
        return "%ds" % s
    if s < 7200:
        return "%dm" % (s // 60)
    if s < 172800:
        return "%dh" % (s // 3600)
    return "%dd" % (s // 86400)


def cond(obj, typ):
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c.get("type") == typ:
            return c
    return {}


def pod_status_word(p):
    """kubectl's printPod STATUS (the parts the fixtures exercise)."""
    st = p.get("status") or {}
    reason = st.get("reason") or st.get("phase") or "Unknown"
    inits = (p.get("spec") or {}).get("initContainers") or []
    initializing = False
    for i, cs in enumerate(st.get("initContainerStatuses") or []):
        term = (cs.get("state") or {}).get("terminated")
        wait = (cs.get("state") or {}).get("waiting")
        if term and term.get("exitCode") == 0:
            continue
        initializing = True
        if term:
            reason = "Init:" + (term.get("reason") or "ExitCode:%d" % term.get("exitCode", 0))
        elif wait and wait.get("reason") not in (None, "PodInitializing"):
            reason = "Init:" + wait["reason"]
        else:
            reason = "Init:%d/%d" % (i, len(inits))
        break
    if not initializing:
        for cs in reversed(st.get("containerStatuses") or []):
            s = cs.get("state") or {}
            if s.get("waiting", {}).get("reason"):
                reason = s["waiting"]["reason"]
            elif s.get("terminated", {}).get("reason"):
                reason = s["terminated"]["reason"]
    if p.get("metadata", {}).get("deletionTimestamp"):
        reason = "Unknown" if st.get("reason") == "NodeLost" else "Terminating"
    return reason


def _row_node(o):
    ready = cond(o, "Ready").get("status")
    words = ["Ready" if ready == "True" else "NotReady" if ready else "Unknown"]
    if (o.get("spec") or {}).get("unschedulable"):
        words.append("SchedulingDisabled")
    labels = o["metadata"].get("labels") or {}
    roles = sorted(k.split("/", 1)[1] for k in labels
                   if k.startswith("node-role.kubernetes.io/"))
    return [",".join(words), ",".join(roles) or "<none>", age(o),
            ((o.get("status") or {}).get("nodeInfo") or {}).get("kubeletVersion", "")]


def _row_pod(o):
    css = (o.get("status") or {}).get("containerStatuses") or []
    ready = sum(1 for c in css if c.get("ready"))
    total = len((o.get("spec") or {}).get("containers") or [])
    restarts = sum(c.get("restartCount", 0) for c in css)
    return ["%d/%d" % (ready, total), pod_status_word(o), restarts, age(o)]


def _row_deploy(o):
    sp, st = o.get("spec") or {}, o.get("status") or {}
    return ["%d/%d" % (st.get("readyReplicas", 0), sp.get("replicas", 1)),
            st.get("updatedReplicas", 0), st.get("availableReplicas", 0), age(o)]


def _row_app(o):
    st = o.get("status") or {}
    return [st.get("sync", {}).get("status", ""), st.get("health", {}).get("status", ""), age(o)]


def _row_flux(o):
    c = cond(o, "Ready")
    return [age(o), c.get("status", "Unknown"), c.get("message", "")]


COLUMNS = {
    "Node": (["Status", "Roles", "Age", "Version"], _row_node),
    "Pod": (["Ready", "Status", "Restarts", "Age"], _row_pod),
    "Deployment": (["Ready", "Up-to-date", "Available", "Age"], _row_deploy),
    "Application": (["Sync Status", "Health Status", "Age"], _row_app),
    "Kustomization": (["Age", "Ready", "Status"], _row_flux),
    "HelmRelease": (["Age", "Ready", "Status"], _row_flux),
    "GitRepository": (["Age", "Ready", "Status"], _row_flux),
}


def table(kind, objs, rv=None, cont=None):
    """A meta.k8s.io/v1 Table of objs (the rows carry PartialObjectMetadata)."""
    names, fn = COLUMNS.get(kind, (["Age"], lambda o: [age(o)]))
    defs = [{"name": "Name", "type": "string", "format": "name", "description": "", "priority": 0}]
    defs += [{"name": n, "type": "string", "format": "", "description": "", "priority": 0}
             for n in names]
    rows = []
    for o in objs:
        meta = dict(o.get("metadata") or {})
        meta.pop("managedFields", None)
        rows.append({"cells": [meta.get("name", "")] + fn(o),
                     "object": {"kind": "PartialObjectMetadata",
                                "apiVersion": "meta.k8s.io/v1", "metadata": meta}})
    t = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {},
         "columnDefinitions": defs, "rows": rows}
    if rv is not None:
        t["metadata"]["resourceVersion"] = rv
    if cont:
        t["metadata"]["continue"] = cont
    return t

"""What the controllers would do after a write, played on the store with short delays.

- a template annotation kubectl.kubernetes.io/restartedAt (rollout restart) on a
  Deployment/StatefulSet/DaemonSet: generation+1, then its pods are replaced one by one
  (new pod ADDED, ready, old pod Terminating then DELETED) while the status moves
  observedGeneration, updated/ready/available, ending done;
- a Flux object's reconcile.fluxcd.io/requestedAt annotation: Reconciling, then
  status.lastHandledReconcileAt = the annotation's value;
- an Argo Application's `operation`: operationState Running, then Succeeded, sync Synced,
  and `operation` cleared;
- a Node's spec.unschedulable: the node.kubernetes.io/unschedulable taint follows at once
  (in the same write);
- eviction / deletion of a pod: Terminating at once, DELETED after the grace delay;
- node_down / node_up (control endpoints): the node lifecycle controller's view of a lost
  kubelet (conditions Unknown, unreachable taints, its pods not Ready) and its return;
- heartbeat (optional): Ready nodes' lastHeartbeatTime refreshed every N seconds.
"""
import threading
import time

from . import objects, resources

STEP = 0.25            # seconds between the steps of a simulated controller
GRACE = 1.0            # a deleted pod's Terminating phase
RESTARTED = "kubectl.kubernetes.io/restartedAt"
REQUESTED = "reconcile.fluxcd.io/requestedAt"
POD = next(t for t in resources.TYPES if t.kind == "Pod")
NODE = next(t for t in resources.TYPES if t.kind == "Node" and t.group == "")
UNREACHABLE = "node.kubernetes.io/unreachable"


def later(delay, fn, *args):
    t = threading.Timer(delay, fn, args)
    t.daemon = True
    t.start()


def template_ann(o):
    return (((o or {}).get("spec") or {}).get("template") or {}).get("metadata", {}) \
        .get("annotations") or {}


def meta_ann(o):
    return ((o or {}).get("metadata") or {}).get("annotations") or {}


def on_write(store, rtype, old, new):
    """The store's hook: start the controller that reacts to this write, if any."""
    kind = new.get("kind")
    if old is None:
        return
    if kind in ("Deployment", "StatefulSet", "DaemonSet") and \
            template_ann(new).get(RESTARTED) != template_ann(old).get(RESTARTED):
        threading.Thread(target=rollout, args=(store, rtype, new), daemon=True).start()
    elif rtype.group.endswith(".toolkit.fluxcd.io") and \
            meta_ann(new).get(REQUESTED) not in (None, meta_ann(old).get(REQUESTED)):
        flux_reconcile(store, rtype, new, meta_ann(new)[REQUESTED])
    elif kind == "Application" and new.get("operation") and \
            new.get("operation") != old.get("operation"):
        argo_sync(store, rtype, new)


def prepare(rtype, old, new):
    """Changes made inside the write itself: generation, the cordon taint."""
    if old is not None and rtype.kind not in ("Pod", "Node", "Event", "Namespace") and \
            new.get("spec") != old.get("spec"):
        new["metadata"]["generation"] = old["metadata"].get("generation", 1) + 1
    if rtype.kind == "Node" and rtype.group == "":
        spec = new.setdefault("spec", {})
        key = "node.kubernetes.io/unschedulable"
        had = [t for t in spec.get("taints") or [] if t.get("key") == key]
        taints = [t for t in spec.get("taints") or [] if t.get("key") != key]
        if spec.get("unschedulable"):
            taints.append(had[0] if had else {"key": key, "effect": "NoSchedule",
                                              "timeAdded": objects.now()})
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)


# ---- pods going away ----

def delete_pod(store, ns, name, grace=GRACE):
    """Terminating now, DELETED after grace seconds.  False when there is no such pod."""
    def mark(p):
        p["metadata"]["deletionTimestamp"] = objects.now()
        p["metadata"]["deletionGracePeriodSeconds"] = 30
        p["metadata"].pop("finalizers", None)
    p = store.get(POD, ns, name)
    if p is None:
        return False
    uid = p["metadata"]["uid"]
    if not p["metadata"].get("deletionTimestamp") or p["metadata"].get("finalizers"):
        store.update(POD, ns, name, mark)

    def gone():
        cur = store.get(POD, ns, name)
        if cur is not None and cur["metadata"]["uid"] == uid:
            store.delete(POD, ns, name)
    later(grace, gone)
    return True


# ---- rollout restart ----

def rollout(store, rtype, obj):
    ns, name, kind = obj["metadata"]["namespace"], obj["metadata"]["name"], obj["kind"]
    rev = objects.template_hash("%s/%s/%s" % (ns, name, template_ann(obj).get(RESTARTED)))
    time.sleep(STEP)
    pods = objects.owned_pods(store.items(POD, ns)[0], obj)
    old = [p for p in pods if not p["metadata"].get("deletionTimestamp")
           and p["status"].get("phase") != "Failed"]
    if kind == "StatefulSet":
        old.sort(key=lambda p: p["metadata"]["name"], reverse=True)
    done = []

    def set_status(cur_obj, updated):
        live = objects.owned_pods(store.items(POD, ns)[0], cur_obj)

        def fn(o):
            o["status"] = objects.workload_status(o, live, rev, updated)
            o["status"]["observedGeneration"] = o["metadata"].get("generation", 1)
            if kind == "StatefulSet" and updated < len(old):
                o["status"]["currentRevision"] = (cur_obj.get("status") or {}).get(
                    "currentRevision", o["status"]["currentRevision"])
        return store.update(rtype, ns, name, fn)

    cur = set_status(obj, 0)
    for i, p in enumerate(old):
        if cur is None:
            return
        nd = p["spec"]["nodeName"]
        if kind == "StatefulSet":
            idx = int(p["metadata"]["name"].rsplit("-", 1)[1])
            delete_pod(store, ns, p["metadata"]["name"], STEP)
            time.sleep(STEP * 1.5)
        else:
            idx = i
        np = objects.make_pod(cur, rev, idx, nd, "pending", age_s=0)
        np["metadata"]["creationTimestamp"] = objects.now()
        store.put(POD, np)
        time.sleep(STEP)
        store.put(POD, objects.make_pod(cur, rev, idx, nd, "running", age_s=0) | {
            "metadata": dict(np["metadata"])})
        if kind != "StatefulSet":
            delete_pod(store, ns, p["metadata"]["name"], STEP)
        done.append(np)
        time.sleep(STEP * 1.5)
        cur = set_status(cur, len(done))


# ---- Flux and Argo ----

def flux_reconcile(store, rtype, obj, value):
    ns, name = obj["metadata"]["namespace"], obj["metadata"]["name"]

    def start(o):
        conds = [c for c in o["status"].get("conditions", []) if c["type"] != "Reconciling"]
        conds.append({"type": "Reconciling", "status": "True", "reason": "Progressing",
                      "message": "Reconciliation in progress", "lastTransitionTime":
                      objects.now(), "observedGeneration": o["metadata"].get("generation", 1)})
        o["status"]["conditions"] = conds

    def finish(o):
        o["status"]["conditions"] = [c for c in o["status"].get("conditions", [])
                                     if c["type"] != "Reconciling"]
        o["status"]["lastHandledReconcileAt"] = value
        o["status"]["observedGeneration"] = o["metadata"].get("generation", 1)
    later(STEP, store.update, rtype, ns, name, start)
    later(STEP * 3, store.update, rtype, ns, name, finish)


def argo_sync(store, rtype, obj):
    ns, name = obj["metadata"]["namespace"], obj["metadata"]["name"]
    op = obj["operation"]
    started = objects.now()
    rev = (op.get("sync") or {}).get("revision") or objects.hexid("rev-new", 40)

    def running(o):
        o.setdefault("status", {})["operationState"] = {
            "operation": op, "phase": "Running", "message": "one or more tasks are running",
            "startedAt": started}

    def finish(o):
        o.pop("operation", None)
        st = o.setdefault("status", {})
        st["operationState"] = {
            "operation": op, "phase": "Succeeded",
            "message": "successfully synced (all tasks run)", "startedAt": started,
            "finishedAt": objects.now(), "syncResult": {"revision": rev, "resources": [],
                                                       "source": o["spec"].get("source", {})}}
        st.setdefault("sync", {})["status"] = "Synced"
        st["sync"]["revision"] = rev
        st["reconciledAt"] = objects.now()
    later(STEP, store.update, rtype, ns, name, running)
    later(STEP * 4, store.update, rtype, ns, name, finish)


# ---- nodes lost and back ----

def node_down(store, name):
    """As the node lifecycle controller marks a node whose kubelet stopped posting."""
    t = objects.now()

    def node(n):
        for c in n["status"]["conditions"]:
            c.update(status="Unknown", reason="NodeStatusUnknown",
                     message="Kubelet stopped posting node status.", lastTransitionTime=t)
        taints = [x for x in n["spec"].get("taints") or [] if x["key"] != UNREACHABLE]
        n["spec"]["taints"] = taints + [{"key": UNREACHABLE, "effect": "NoSchedule",
                                         "timeAdded": t},
                                        {"key": UNREACHABLE, "effect": "NoExecute",
                                         "timeAdded": t}]

    def pod(p):
        for c in p["status"].get("conditions") or []:
            if c["type"] == "Ready":
                c.update(status="False", lastTransitionTime=t)
                c.pop("reason", None)
                c.pop("message", None)
    return set_node(store, name, node, pod)


def node_up(store, name):
    t = objects.now()
    reasons = {"MemoryPressure": ("False", "KubeletHasSufficientMemory",
                                  "kubelet has sufficient memory available"),
               "DiskPressure": ("False", "KubeletHasNoDiskPressure",
                                "kubelet has no disk pressure"),
               "PIDPressure": ("False", "KubeletHasSufficientPID",
                               "kubelet has sufficient PID available"),
               "Ready": ("True", "KubeletReady", "kubelet is posting ready status")}

    def node(n):
        for c in n["status"]["conditions"]:
            s, r, m = reasons.get(c["type"], ("False", "", ""))
            c.update(status=s, reason=r, message=m, lastTransitionTime=t, lastHeartbeatTime=t)
        taints = [x for x in n["spec"].get("taints") or [] if x["key"] != UNREACHABLE]
        if taints:
            n["spec"]["taints"] = taints
        else:
            n["spec"].pop("taints", None)

    def pod(p):
        running = all("running" in (c.get("state") or {})
                      for c in p["status"].get("containerStatuses") or [{}])
        for c in p["status"].get("conditions") or []:
            if c["type"] == "Ready" and running:
                c.update(status="True", lastTransitionTime=t)
    return set_node(store, name, node, pod)


def set_node(store, name, node_fn, pod_fn):
    if store.update(NODE, None, name, node_fn) is None:
        return False
    for p in store.items(POD, fields=[("spec.nodeName", True, name)])[0]:
        store.update(POD, p["metadata"]["namespace"], p["metadata"]["name"], pod_fn)
    return True


def heartbeat(store, period):
    """Every period seconds, Ready nodes post a new lastHeartbeatTime (MODIFIED)."""
    def beat(n):
        for c in n["status"]["conditions"]:
            c["lastHeartbeatTime"] = objects.now()
    while True:
        time.sleep(period)
        for n in store.items(NODE)[0]:
            if any(c["type"] == "Ready" and c["status"] == "True"
                   for c in n["status"].get("conditions") or []):
                store.update(NODE, None, n["metadata"]["name"], beat)

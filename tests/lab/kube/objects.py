"""Builders of realistic object shapes: nodes, pods, workloads and their status.

Shapes follow what a K3s v1.33 apiserver returns (names, labels, conditions, container
statuses); values are made up but consistent (a Deployment's status counts its pods).
Pod states: running, crashloop-oom, imagepull, init, terminating, evicted, pending.
"""
import hashlib
import random
import time

ALPHA = "bcdfghjklmnpqrstvwxz2456789"
K3S = "v1.33.6+k3s1"
T0 = time.time()
NODE_IP = {}        # node name -> InternalIP (a pod's hostIP)


def ago(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(T0 - seconds))


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def hexid(seed, n=64):
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def suffix(seed, n=5):
    h = int(hexid(seed, 16), 16)
    out = ""
    for _ in range(n):
        h, r = divmod(h, len(ALPHA))
        out += ALPHA[r]
    return out


def template_hash(seed):
    return suffix("tmpl/" + seed, 9) + suffix("tmpl2/" + seed, 1)


def ip_of(seed, net="10.42"):
    h = int(hexid(seed, 4), 16)
    return "%s.%d.%d" % (net, h % 4, 2 + h // 4 % 250)


def node(name, roles, arch, ip, cpu, mem_gi, kernel, os_image, gpu=False, age_days=41,
         extra_labels=None):
    labels = {"beta.kubernetes.io/arch": arch, "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": arch, "kubernetes.io/hostname": name,
              "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": "k3s"}
    for r in roles:
        labels["node-role.kubernetes.io/" + r] = "true"
    labels.update(extra_labels or {})
    NODE_IP[name] = ip
    mem_ki = mem_gi * 1024 * 1024 - 262144
    cap = {"cpu": str(cpu), "ephemeral-storage": "471350504Ki", "hugepages-1Gi": "0",
           "hugepages-2Mi": "0", "memory": "%dKi" % mem_ki, "pods": "110"}
    if gpu:
        cap["nvidia.com/gpu"] = "1"
    alloc = dict(cap, **{"ephemeral-storage": "458529488133", "memory": "%dKi" % mem_ki})
    hb = ago(20)
    conds = [
        {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
         "message": "kubelet has sufficient memory available"},
        {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure",
         "message": "kubelet has no disk pressure"},
        {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID",
         "message": "kubelet has sufficient PID available"},
        {"type": "Ready", "status": "True", "reason": "KubeletReady",
         "message": "kubelet is posting ready status"},
    ]
    for c in conds:
        c["lastHeartbeatTime"] = hb
        c["lastTransitionTime"] = ago(age_days * 86400 - 60)
    ann = {"flannel.alpha.coreos.com/backend-type": "vxlan",
           "flannel.alpha.coreos.com/public-ip": ip, "k3s.io/hostname": name,
           "k3s.io/internal-ip": ip, "k3s.io/node-args": '["agent"]' if "control-plane" not in roles
           else '["server","--cluster-init"]',
           "node.alpha.kubernetes.io/ttl": "0",
           "volumes.kubernetes.io/controller-managed-attach-detach": "true"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": labels, "annotations": ann,
                     "creationTimestamp": ago(age_days * 86400)},
        "spec": {"podCIDR": ip_of(name, "10.42") .rsplit(".", 1)[0] + ".0/24",
                 "providerID": "k3s://" + name},
        "status": {
            "addresses": [{"type": "InternalIP", "address": ip},
                          {"type": "Hostname", "address": name}],
            "allocatable": alloc, "capacity": cap, "conditions": conds,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"architecture": arch, "bootID": hexid("boot" + name, 36),
                         "containerRuntimeVersion": "containerd://2.1.5-k3s1",
                         "kernelVersion": kernel, "kubeProxyVersion": K3S,
                         "kubeletVersion": K3S, "machineID": hexid("m" + name, 32),
                         "operatingSystem": "linux", "osImage": os_image,
                         "systemUUID": hexid("u" + name, 36)},
        },
    }


def owner(api, kind, name, ns):
    return {"apiVersion": api, "kind": kind, "name": name, "controller": True,
            "blockOwnerDeletion": True,
            "uid": "%s-%s-%s-%s-%s" % tuple(hexid("%s/%s/%s" % (kind, ns, name))[i:j]
                                             for i, j in ((0, 8), (8, 12), (12, 16),
                                                          (16, 20), (20, 32)))}


def container(name, image, cpu="50m", mem="64Mi", port=None):
    c = {"name": name, "image": image, "imagePullPolicy": "IfNotPresent",
         "resources": {"requests": {"cpu": cpu, "memory": mem}},
         "terminationMessagePath": "/dev/termination-log",
         "terminationMessagePolicy": "File"}
    if port:
        c["ports"] = [{"containerPort": port, "name": "http", "protocol": "TCP"}]
    return c


def cstatus(c, state, started, restarts=0, ready=True, last=None):
    cs = {"name": c["name"], "image": c["image"],
          "imageID": c["image"].split(":")[0] + "@sha256:" + hexid(c["image"]),
          "containerID": "containerd://" + hexid(c["name"] + started),
          "ready": ready, "started": ready, "restartCount": restarts, "state": state,
          "lastState": last or {}}
    return cs


def pod(ns, name, node_name, own, containers, labels, state="running", init=None,
        emptydir=False, age_s=86400 * 9, pod_ip=None):
    """A Pod on node_name in the given state (see the module's docstring)."""
    start = ago(age_s)
    vols = [{"name": "kube-api-access-" + suffix(name), "projected": {
        "defaultMode": 420, "sources": [{"serviceAccountToken": {
            "expirationSeconds": 3607, "path": "token"}}]}}]
    if emptydir:
        vols.append({"name": "tmp", "emptyDir": {}})
    spec = {"containers": containers, "nodeName": node_name, "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0, "volumes": vols,
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                             "effect": "NoExecute", "tolerationSeconds": 300},
                            {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                             "effect": "NoExecute", "tolerationSeconds": 300}]}
    if init:
        spec["initContainers"] = init
    meta = {"name": name, "namespace": ns, "labels": dict(labels),
            "creationTimestamp": start, "ownerReferences": [own] if own else []}
    if own and own["kind"] == "ReplicaSet":
        meta["generateName"] = own["name"] + "-"
    ready = state in ("running", "terminating")
    ip = pod_ip or ip_of(ns + "/" + name)
    st = {"phase": "Running", "hostIP": NODE_IP.get(node_name, ""), "podIP": ip,
          "podIPs": [{"ip": ip}], "startTime": start, "qosClass": "Burstable"}
    conds = [("PodReadyToStartContainers", True), ("Initialized", True),
             ("Ready", ready), ("ContainersReady", ready), ("PodScheduled", True)]
    running = {"running": {"startedAt": start}}
    if state in ("running", "terminating"):
        st["containerStatuses"] = [cstatus(c, running, start) for c in containers]
    elif state == "crashloop-oom":
        last = {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                               "startedAt": ago(340), "finishedAt": ago(318),
                               "containerID": "containerd://" + hexid("oom" + name)}}
        c0 = containers[0]
        wait = {"waiting": {"reason": "CrashLoopBackOff",
                            "message": "back-off 5m0s restarting failed container=%s pod=%s_%s(%s)"
                            % (c0["name"], name, ns, hexid(name, 8))}}
        st["containerStatuses"] = [cstatus(c0, wait, start, 14, False, last)] + \
            [cstatus(c, running, start) for c in containers[1:]]
    elif state == "imagepull":
        img = containers[0]["image"]
        st["phase"] = "Pending"
        wait = {"waiting": {"reason": "ImagePullBackOff",
                            "message": 'Back-off pulling image "%s": ErrImagePull: failed to pull '
                            'and unpack image "%s": failed to resolve reference "%s": '
                            '403 Forbidden' % (img, img, img)}}
        cs = cstatus(containers[0], wait, start, 0, False)
        del cs["containerID"]
        st["containerStatuses"] = [cs]
    elif state == "init":
        st["phase"] = "Pending"
        conds[1] = ("Initialized", False)
        st["initContainerStatuses"] = [cstatus(init[0], running, ago(120), 0, False)]
        cs = cstatus(containers[0], {"waiting": {"reason": "PodInitializing"}}, start, 0, False)
        del cs["containerID"]
        st["containerStatuses"] = [cs]
    elif state == "evicted":
        st = {"phase": "Failed", "reason": "Evicted", "startTime": start, "qosClass": "Burstable",
              "message": "The node was low on resource: memory. Threshold quantity: 100Mi, "
                         "available: 87344Ki. Container %s was using 1843912Ki, request is %s, "
                         "has larger consumption of memory. " % (
                             containers[0]["name"],
                             containers[0]["resources"]["requests"]["memory"])}
        conds = [("PodScheduled", True), ("DisruptionTarget", True), ("Ready", False)]
    elif state == "pending":
        st["phase"] = "Pending"
        cs = cstatus(containers[0], {"waiting": {"reason": "ContainerCreating"}}, start, 0, False)
        del cs["containerID"]
        st["containerStatuses"] = [cs]
    st["conditions"] = [{"type": t, "status": "True" if ok else "False",
                         "lastProbeTime": None, "lastTransitionTime": start} for t, ok in conds]
    for c in st["conditions"]:
        if c["type"] in ("Ready", "ContainersReady") and c["status"] == "False" \
                and state != "evicted":
            c["reason"] = "ContainersNotReady"
            c["message"] = "containers with unready status: [%s]" % containers[0]["name"]
        if c["type"] == "DisruptionTarget":
            c["reason"] = "TerminationByKubelet"
            c["message"] = "The node was low on resource: memory."
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": st}
    if state == "terminating":
        meta["deletionTimestamp"] = ago(95)
        meta["deletionGracePeriodSeconds"] = 30
        meta["finalizers"] = ["batch.kubernetes.io/job-tracking"]
    return p


def pod_ready(p):
    for c in (p.get("status") or {}).get("conditions") or []:
        if c["type"] == "Ready":
            return c["status"] == "True"
    return False


# ---- workloads ----

def workload(kind, ns, name, nodes, image, replicas=1, cpu="50m", mem="64Mi", labels=None,
             states=None, emptydir=False, init=None, port=None, missing_on=()):
    """A Deployment/StatefulSet/DaemonSet and its pods: (object, [pods]).
    states: per-pod state list (default all running); nodes: where the pods go (cycled);
    for a DaemonSet one pod per node except those in missing_on."""
    sel = {"app.kubernetes.io/name": name}
    tlabels = dict(sel, **(labels or {}))
    c = container(name, image, cpu, mem, port)
    obj = {"apiVersion": "apps/v1", "kind": kind,
           "metadata": {"name": name, "namespace": ns, "generation": 1,
                        "labels": dict(tlabels), "annotations": {},
                        "creationTimestamp": ago(86400 * 30)},
           "spec": {"selector": {"matchLabels": sel},
                    "template": {"metadata": {"labels": tlabels, "annotations": {}},
                                 "spec": {"containers": [c]}}}}
    pods = []
    if kind == "DaemonSet":
        targets = [n for n in nodes if n not in missing_on]
        obj["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {
            "maxUnavailable": 1, "maxSurge": 0}}
    else:
        targets = [nodes[i % len(nodes)] for i in range(replicas)]
        obj["spec"]["replicas"] = replicas
        if kind == "Deployment":
            obj["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {
                "maxUnavailable": "25%", "maxSurge": "25%"}}
        else:
            obj["spec"]["serviceName"] = name
            obj["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {
                "partition": 0}}
    rev = template_hash(ns + "/" + name)
    for i, n in enumerate(targets):
        st = states[i] if states and i < len(states) else "running"
        pods.append(make_pod(obj, rev, i, n, st, emptydir, init))
    obj["status"] = workload_status(obj, pods, rev, desired=len(nodes))
    return obj, pods


def make_pod(obj, rev, i, node_name, state="running", emptydir=False, init=None, age_s=None):
    """A pod of workload obj for revision rev (ordinal i)."""
    kind, ns, name = obj["kind"], obj["metadata"]["namespace"], obj["metadata"]["name"]
    labels = dict(obj["spec"]["template"]["metadata"]["labels"])
    containers = obj["spec"]["template"]["spec"]["containers"]
    if kind == "Deployment":
        rs = "%s-%s" % (name, rev)
        own = owner("apps/v1", "ReplicaSet", rs, ns)
        pname = "%s-%s" % (rs, suffix("%s/%d/%s" % (rs, i, node_name)))
        labels["pod-template-hash"] = rev
    elif kind == "StatefulSet":
        own = owner("apps/v1", "StatefulSet", name, ns)
        pname = "%s-%d" % (name, i)
        labels["controller-revision-hash"] = "%s-%s" % (name, rev)
        labels["statefulset.kubernetes.io/pod-name"] = pname
        labels["apps.kubernetes.io/pod-index"] = str(i)
    else:
        own = owner("apps/v1", "DaemonSet", name, ns)
        pname = "%s-%s" % (name, suffix("%s/%s/%s" % (name, rev, node_name)))
        labels["controller-revision-hash"] = rev
        labels["pod-template-generation"] = str(obj["metadata"].get("generation", 1))
    return pod(ns, pname, node_name, own, containers, labels, state,
               init=init, emptydir=emptydir, age_s=age_s if age_s is not None else 86400 * 9)


def workload_status(obj, pods, rev, updated=None, desired=None):
    """The status a controller would report for obj over its live pods (a DaemonSet's
    desired count: `desired`, else the one in its status, else its pod count)."""
    live = [p for p in pods if not p["metadata"].get("deletionTimestamp")
            and p["status"].get("phase") != "Failed"]
    ready = sum(1 for p in live if pod_ready(p))
    upd = len(live) if updated is None else updated
    gen = obj["metadata"].get("generation", 1)
    kind = obj["kind"]
    if kind == "DaemonSet":
        want = desired or (obj.get("status") or {}).get("desiredNumberScheduled") or len(live)
        st = {"desiredNumberScheduled": want,
                "currentNumberScheduled": len(live), "numberReady": ready,
                "numberAvailable": ready, "updatedNumberScheduled": upd,
                "numberMisscheduled": 0, "observedGeneration": gen}
        if want > ready:
            st["numberUnavailable"] = want - ready
        return st
    want = obj["spec"].get("replicas", 1)
    if kind == "StatefulSet":
        return {"replicas": len(live), "readyReplicas": ready, "currentReplicas": upd,
                "updatedReplicas": upd, "availableReplicas": ready,
                "currentRevision": "%s-%s" % (obj["metadata"]["name"], rev),
                "updateRevision": "%s-%s" % (obj["metadata"]["name"], rev),
                "observedGeneration": gen, "collisionCount": 0}
    avail = ready >= want
    st = {"replicas": len(live), "updatedReplicas": upd, "readyReplicas": ready,
          "availableReplicas": ready, "observedGeneration": gen,
          "conditions": [
              {"type": "Available", "status": "True" if avail else "False",
               "reason": "MinimumReplicasAvailable" if avail else "MinimumReplicasUnavailable",
               "message": "Deployment has minimum availability." if avail else
               "Deployment does not have minimum availability.",
               "lastUpdateTime": ago(3600), "lastTransitionTime": ago(3600)},
              {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
               "message": 'ReplicaSet "%s-%s" has successfully progressed.'
               % (obj["metadata"]["name"], rev),
               "lastUpdateTime": ago(86400), "lastTransitionTime": ago(86400 * 30)}]}
    if len(live) - ready:
        st["unavailableReplicas"] = len(live) - ready
    if not ready:
        del st["readyReplicas"], st["availableReplicas"]
    return st


def owned_pods(pods, obj):
    """The pods of workload obj among pods (by the selector and namespace)."""
    sel = obj["spec"]["selector"]["matchLabels"]
    ns = obj["metadata"]["namespace"]
    return [p for p in pods if p["metadata"]["namespace"] == ns and
            all((p["metadata"].get("labels") or {}).get(k) == v for k, v in sel.items())]


def rng(seed):
    return random.Random(seed)

"""The two clusters: `axiomlayer` (K3s, 4 nodes, ArgoCD, Longhorn, CNPG) and `flux` (3 K3s
servers, Flux, Longhorn, MetalLB).  build(name, pods_per_node) -> (groups left out, objects).

Trouble on purpose (what a dashboard must surface): a CrashLoopBackOff pod whose last
state is OOMKilled, an ImagePullBackOff, an Init:0/1, a pod stuck Terminating, an Evicted
pod, a Deployment at 0/1, a DaemonSet missing on one node, a degraded Longhorn volume,
an OutOfSync and a Degraded Argo app (axiomlayer) or a failing Kustomization and
HelmRelease (flux), Warning events (some with null lastTimestamp and eventTime/series).
"""
from .objects import (ago, container, hexid, make_pod, node, owner, pod, template_hash,
                      workload)

FLUX_GROUPS = {"kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io",
               "source.toolkit.fluxcd.io"}
ARGO_GROUPS = {"argoproj.io"}
CNPG_GROUPS = {"postgresql.cnpg.io"}

UBUNTU = ("6.8.0-87-generic", "Ubuntu 24.04.3 LTS")
PI = ("6.12.47+rpt-rpi-2712", "Debian GNU/Linux 12 (bookworm)")


class Builder:
    def __init__(self, nodes):
        self.objs = list(nodes)
        self.nodes = [n["metadata"]["name"] for n in nodes]

    def add(self, kind, ns, name, image, on=None, **kw):
        obj, pods = workload(kind, ns, name, on or self.nodes, image, **kw)
        self.objs.append(obj)
        self.objs.extend(pods)
        return obj, pods

    def common(self, traefik_ds=False):
        """What K3s itself deploys, and Longhorn."""
        n = self.nodes
        self.add("Deployment", "kube-system", "coredns", "rancher/mirrored-coredns-coredns:1.12.3",
                 on=n[:1], cpu="100m", mem="70Mi", port=53)
        self.add("Deployment", "kube-system", "local-path-provisioner",
                 "rancher/local-path-provisioner:v0.0.32", on=n[:1])
        self.add("Deployment", "kube-system", "metrics-server",
                 "rancher/mirrored-metrics-server:v0.8.0", on=n[:1], cpu="100m", mem="70Mi",
                 emptydir=True)
        self.add("Deployment", "kube-system", "traefik", "rancher/mirrored-library-traefik:3.3.6",
                 on=n[1:2] or n, port=8000)
        if traefik_ds:
            self.add("DaemonSet", "kube-system", "svclb-traefik",
                     "rancher/klipper-lb:v0.4.13", cpu="10m", mem="16Mi")
        self.add("DaemonSet", "longhorn-system", "longhorn-manager",
                 "longhornio/longhorn-manager:v1.9.1", cpu="100m", mem="256Mi")
        self.add("DaemonSet", "longhorn-system", "engine-image-ei-db6c2b6f",
                 "longhornio/longhorn-engine:v1.9.1", cpu="10m", mem="32Mi")
        self.add("Deployment", "longhorn-system", "longhorn-ui", "longhornio/longhorn-ui:v1.9.1",
                 on=n[-1:], replicas=1)
        self.add("Deployment", "longhorn-system", "longhorn-driver-deployer",
                 "longhornio/longhorn-manager:v1.9.1", on=n[:1])
        for nd in n:
            im = "instance-manager-" + hexid("im" + nd, 32)
            own = owner("longhorn.io/v1beta2", "InstanceManager", im, "longhorn-system")
            c = container("instance-manager", "longhornio/longhorn-instance-manager:v1.9.1",
                          "120m", "128Mi")
            self.objs.append(pod("longhorn-system", im, nd, own, [c], {
                "longhorn.io/component": "instance-manager", "longhorn.io/node": nd,
                "longhorn.io/instance-manager-type": "aio"}))

    def bench(self, per_node):
        for nd in self.nodes:
            if per_node:
                self.add("Deployment", "bench", "bench-" + nd, "ghcr.io/kitetop/bench:1.0",
                         on=[nd], replicas=per_node, cpu="5m", mem="16Mi")


def longhorn(nodes, vols):
    """Longhorn volumes, replicas and nodes.  vols: (pvc ns, pvc, size Gi, replicas,
    attached node, degraded?)."""
    out = []
    for ns, pvc, gi, nrep, at, degraded in vols:
        name = "pvc-" + "-".join(hexid(ns + pvc)[i:j] for i, j in
                                 ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32)))
        holders = [nodes[(i + len(pvc)) % len(nodes)] for i in range(nrep)]
        if at not in holders:
            holders[0] = at
        v = {"apiVersion": "longhorn.io/v1beta2", "kind": "Volume",
             "metadata": {"name": name, "namespace": "longhorn-system",
                          "labels": {"longhornvolume": name},
                          "creationTimestamp": ago(86400 * 30)},
             "spec": {"size": str(gi * 1024 ** 3), "numberOfReplicas": nrep,
                      "dataLocality": "disabled", "accessMode": "rwo", "frontend": "blockdev",
                      "dataEngine": "v1", "staleReplicaTimeout": 30},
             "status": {"state": "attached", "robustness": "degraded" if degraded else "healthy",
                        "currentNodeID": at, "ownerID": at, "frontendDisabled": False,
                        "actualSize": gi * 1024 ** 3 // 3, "lastBackupAt": ago(3600 * 5),
                        "kubernetesStatus": {"namespace": ns, "pvcName": pvc, "pvName": name,
                                             "pvStatus": "Bound", "workloadsStatus": []},
                        "conditions": [
                            {"type": "Scheduled", "status": "True", "reason": "",
                             "lastTransitionTime": ago(86400 * 30)},
                            {"type": "Restore", "status": "False", "reason": "",
                             "lastTransitionTime": ago(86400 * 30)},
                            {"type": "TooManySnapshots", "status": "False", "reason": "",
                             "lastTransitionTime": ago(86400 * 30)}]}}
        if degraded:
            v["status"]["lastDegradedAt"] = ago(1800)
        out.append(v)
        for i, nd in enumerate(holders):
            bad = degraded and i == len(holders) - 1
            out.append({"apiVersion": "longhorn.io/v1beta2", "kind": "Replica",
                        "metadata": {"name": "%s-r-%s" % (name, hexid(name + nd, 8)),
                                     "namespace": "longhorn-system",
                                     "labels": {"longhornvolume": name,
                                                "longhornnode": nd},
                                     "creationTimestamp": ago(86400 * 30)},
                        "spec": {"volumeName": name, "nodeID": nd, "dataEngine": "v1",
                                 "diskID": hexid("disk" + nd, 36),
                                 "desireState": "stopped" if bad else "running",
                                 "failedAt": ago(1800) if bad else "",
                                 "volumeSize": str(gi * 1024 ** 3)},
                        "status": {"currentState": "stopped" if bad else "running",
                                   "ownerID": nd, "instanceManagerName":
                                   "instance-manager-" + hexid("im" + nd, 32)}})
    for nd in nodes:
        out.append({"apiVersion": "longhorn.io/v1beta2", "kind": "Node",
                    "metadata": {"name": nd, "namespace": "longhorn-system",
                                 "creationTimestamp": ago(86400 * 40)},
                    "spec": {"allowScheduling": True, "name": nd},
                    "status": {"region": "", "zone": "", "conditions": [
                        {"type": "Ready", "status": "True", "reason": ""},
                        {"type": "Schedulable", "status": "True", "reason": ""}],
                        "diskStatus": {"default-disk-" + hexid(nd, 12): {
                            "storageAvailable": 301 * 1024 ** 3,
                            "storageMaximum": 462 * 1024 ** 3, "storageScheduled": 98 * 1024 ** 3,
                            "conditions": [{"type": "Ready", "status": "True"},
                                           {"type": "Schedulable", "status": "True"}]}}}})
    return out


def events(items):
    """Core/v1 events.  items: (type, reason, message, kind, ns, name, count, component,
    new_style); new_style events carry eventTime + series and null first/lastTimestamp."""
    out = []
    for i, (typ, reason, msg, kind, ns, name, count, comp, new) in enumerate(items):
        ens = ns or "default"
        e = {"apiVersion": "v1", "kind": "Event",
             "metadata": {"name": "%s.%s" % (name, hexid("ev%d" % i, 16)), "namespace": ens,
                          "creationTimestamp": ago(3600 * 2)},
             "type": typ, "reason": reason, "message": msg, "count": count,
             "involvedObject": {"kind": kind, "name": name, "apiVersion": "v1",
                                **({"namespace": ns} if ns else {})},
             "source": {"component": comp}, "reportingComponent": comp,
             "reportingInstance": "", "firstTimestamp": ago(3600 * 2),
             "lastTimestamp": ago(40 + i)}
        if new:
            e["firstTimestamp"] = None
            e["lastTimestamp"] = None
            e["eventTime"] = ago(3600)[:-1] + ".%06dZ" % (123456 + i)
            e["series"] = {"count": count, "lastObservedTime": ago(30 + i)[:-1] + ".000000Z"}
            e["action"] = reason
            e["reportingComponent"] = comp
            e["reportingInstance"] = "%s-%s" % (comp, "neko")
            e["source"] = {}
        out.append(e)
    return out


def pdb(ns, name, match, allowed, healthy):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": ns, "generation": 1,
                         "creationTimestamp": ago(86400 * 20)},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": match}},
            "status": {"currentHealthy": healthy, "desiredHealthy": 1,
                       "disruptionsAllowed": allowed, "expectedPods": healthy,
                       "observedGeneration": 1,
                       "conditions": [{"type": "DisruptionAllowed",
                                       "status": "True" if allowed else "False",
                                       "reason": "SufficientPods" if allowed
                                       else "InsufficientPods",
                                       "message": "", "observedGeneration": 1,
                                       "lastTransitionTime": ago(86400 * 20)}]}}


def cnpg(ns, name, nodes, primary_first=True):
    """A CloudNativePG Cluster and its instance pods (no StatefulSet)."""
    names = ["%s-%d" % (name, i + 1) for i in range(len(nodes))]
    own = owner("postgresql.cnpg.io/v1", "Cluster", name, ns)
    objs = []
    img = "ghcr.io/cloudnative-pg/postgresql:16.4"
    for i, (pn, nd) in enumerate(zip(names, nodes)):
        role = "primary" if i == 0 else "replica"
        objs.append(pod(ns, pn, nd, own, [container("postgres", img, "100m", "256Mi", 5432)],
                        {"cnpg.io/cluster": name, "cnpg.io/instanceName": pn,
                         "cnpg.io/instanceRole": role, "cnpg.io/podRole": "instance",
                         "role": role}, init=[container(
                            "bootstrap-controller", "ghcr.io/cloudnative-pg/cloudnative-pg:1.25.1")],
                        emptydir=True))
        st = objs[-1]["status"]
        st["initContainerStatuses"] = [{"name": "bootstrap-controller", "ready": True,
                                        "restartCount": 0, "image": "", "imageID": "",
                                        "state": {"terminated": {"exitCode": 0,
                                                                 "reason": "Completed"}}}]
    objs.append({
        "apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
        "metadata": {"name": name, "namespace": ns, "generation": 1,
                     "creationTimestamp": ago(86400 * 25)},
        "spec": {"instances": len(nodes), "imageName": img, "primaryUpdateStrategy": "unsupervised",
                 "storage": {"size": "10Gi", "storageClass": "longhorn"}},
        "status": {"phase": "Cluster in healthy state", "instances": len(nodes),
                   "readyInstances": len(nodes), "instanceNames": names,
                   "instancesStatus": {"healthy": names}, "currentPrimary": names[0],
                   "targetPrimary": names[0], "timelineID": 1, "latestGeneratedNode": len(nodes),
                   "topology": {"nodesUsed": len(set(nodes)), "successfullyExtracted": True},
                   "conditions": [
                       {"type": "Ready", "status": "True", "reason": "ClusterIsReady",
                        "message": "Cluster is Ready", "lastTransitionTime": ago(86400)},
                       {"type": "ContinuousArchiving", "status": "True",
                        "reason": "ContinuousArchivingSuccess",
                        "message": "Continuous archiving is working",
                        "lastTransitionTime": ago(86400)}]}})
    return objs


def argo_app(name, ns, path, sync="Synced", health="Healthy", auto=True, msg=None):
    rev = hexid("rev" + name, 40) if sync == "Synced" else hexid("rev-new", 40)
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
           "metadata": {"name": name, "namespace": "argocd", "generation": 12,
                        "creationTimestamp": ago(86400 * 60),
                        "finalizers": ["resources-finalizer.argocd.argoproj.io"]},
           "spec": {"project": "default",
                    "source": {"repoURL": "https://github.com/jasencdev/axiomlayer.git",
                               "path": path, "targetRevision": "main"},
                    "destination": {"server": "https://kubernetes.default.svc",
                                    "namespace": ns},
                    "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                                   "syncOptions": ["CreateNamespace=true"]} if auto else
                    {"syncOptions": ["CreateNamespace=true"]}},
           "status": {"sync": {"status": sync, "revision": rev,
                               "comparedTo": {"source": {"repoURL":
                                              "https://github.com/jasencdev/axiomlayer.git",
                                                         "path": path, "targetRevision": "main"},
                                              "destination": {"server":
                                                              "https://kubernetes.default.svc",
                                                              "namespace": ns}}},
                      "health": {"status": health}, "reconciledAt": ago(120),
                      "resourceHealthSource": "appTree", "sourceType": "Kustomize",
                      "operationState": {
                          "phase": "Succeeded", "message": "successfully synced (all tasks run)",
                          "startedAt": ago(86400), "finishedAt": ago(86390),
                          "operation": {"initiatedBy": {"automated": True},
                                        "retry": {"limit": 5},
                                        "sync": {"revision": hexid("rev" + name, 40)}},
                          "syncResult": {"revision": hexid("rev" + name, 40), "resources": [],
                                         "source": {"repoURL":
                                                    "https://github.com/jasencdev/axiomlayer.git",
                                                    "path": path, "targetRevision": "main"}}}}}
    if msg:
        app["status"]["health"]["message"] = msg
    return app


def axiomlayer(per_node):
    nodes = [
        node("neko", ["control-plane", "etcd", "master"], "amd64", "100.67.134.110", 16, 32,
             *UBUNTU),
        node("neko2", ["control-plane", "etcd", "master"], "amd64", "100.106.35.14", 16, 32,
             *UBUNTU),
        node("panther", [], "amd64", "100.79.124.94", 12, 32, *UBUNTU, gpu=True,
             extra_labels={"nvidia.com/gpu.present": "true"}),
        node("bobcat", [], "arm64", "100.121.67.60", 4, 8, *PI, age_days=20),
    ]
    b = Builder(nodes)
    b.common(traefik_ds=True)
    N = b.nodes
    b.add("StatefulSet", "argocd", "argocd-application-controller",
          "quay.io/argoproj/argocd:v3.1.8", on=["neko"], cpu="250m", mem="512Mi")
    for d in ("argocd-server", "argocd-repo-server", "argocd-redis",
              "argocd-applicationset-controller"):
        b.add("Deployment", "argocd", d, "quay.io/argoproj/argocd:v3.1.8", on=["neko2"],
              emptydir=True)
    b.add("Deployment", "authentik", "authentik-server", "ghcr.io/goauthentik/server:2025.8.4",
          on=["neko"], cpu="100m", mem="512Mi", port=9000)
    b.add("Deployment", "authentik", "ak-outpost-forward-auth-outpost",
          "ghcr.io/goauthentik/proxy:2025.8.4", on=["neko2"])
    b.add("Deployment", "campfire", "campfire", "ghcr.io/jasencdev/campfire:2025.11.3",
          on=["bobcat"], states=["imagepull"], mem="256Mi")
    b.add("Deployment", "outline", "outline", "docker.getoutline.com/outlinewiki/outline:0.87.4",
          on=["panther"], states=["crashloop-oom"], mem="512Mi", port=3000)
    b.add("Deployment", "plane", "plane-worker", "makeplane/plane-backend:v0.28.0",
          on=["neko2"], states=["init"],
          init=[container("wait-for-db", "busybox:1.36", "10m", "16Mi")])
    b.add("Deployment", "plane", "plane-web", "makeplane/plane-frontend:v0.28.0", on=["neko"])
    b.add("Deployment", "n8n", "n8n", "n8nio/n8n:1.115.3", on=["panther"], emptydir=True,
          mem="256Mi")
    b.add("Deployment", "open-webui", "open-webui", "ghcr.io/open-webui/open-webui:v0.6.34",
          on=["panther"], mem="1Gi")
    b.add("Deployment", "pocketbase", "pocketbase", "ghcr.io/muchobien/pocketbase:0.30",
          on=["bobcat"])
    b.add("Deployment", "ollama", "ollama-embed", "ollama/ollama:0.12.6", on=["panther"],
          mem="2Gi")
    b.add("StatefulSet", "monitoring", "loki", "grafana/loki:3.5.5", on=["neko"], mem="512Mi")
    b.add("DaemonSet", "monitoring", "alloy", "grafana/alloy:v1.11.2", missing_on=["bobcat"],
          cpu="20m", mem="128Mi")
    b.add("Deployment", "monitoring", "grafana", "grafana/grafana:12.2.0", on=["neko2"])
    b.add("Deployment", "backups", "nfs-proxy", "ghcr.io/jasencdev/nfs-proxy:1.2",
          on=["neko"], emptydir=True)
    # the evicted and the terminating pods: leftovers of earlier replica sets
    ev = make_pod(b.objs[[o.get("metadata", {}).get("name") for o in b.objs].index(
        "open-webui")], template_hash("old-owui"), 9, "bobcat", "evicted", age_s=86400 * 3)
    b.objs.append(ev)
    term = make_pod(b.objs[[o.get("metadata", {}).get("name") for o in b.objs].index("n8n")],
                    template_hash("old-n8n"), 7, "neko2", "terminating", age_s=86400 * 2)
    b.objs.append(term)
    b.objs += cnpg("default", "postgres", ["panther", "neko", "neko2"])
    b.objs += cnpg("outline", "outline-db", ["neko2"])
    b.objs += cnpg("open-webui", "open-webui-db", ["neko"])
    b.objs.append(pdb("default", "postgres-primary",
                      {"cnpg.io/cluster": "postgres", "cnpg.io/instanceRole": "primary"}, 0, 1))
    b.objs.append(pdb("default", "postgres",
                      {"cnpg.io/cluster": "postgres", "cnpg.io/instanceRole": "replica"}, 1, 2))
    b.objs += longhorn(N, [
        ("campfire", "campfire-storage", 5, 3, "bobcat", False),
        ("default", "postgres-1", 10, 3, "panther", False),
        ("default", "postgres-2", 10, 3, "neko", False),
        ("default", "postgres-3", 10, 3, "neko2", False),
        ("monitoring", "storage-loki-0", 10, 3, "neko", True),
        ("open-webui", "open-webui-data", 5, 3, "panther", False),
        ("outline", "outline-data", 5, 2, "panther", False),
        ("pocketbase", "pocketbase-data", 5, 2, "bobcat", False)])
    for name, ns, path, *rest in [
            ("root", "argocd", "apps/argocd/applications"),
            ("cert-manager", "cert-manager", "infrastructure/cert-manager"),
            ("authentik", "authentik", "infrastructure/authentik"),
            ("longhorn", "longhorn-system", "infrastructure/longhorn"),
            ("cloudnative-pg", "cnpg-system", "infrastructure/cloudnative-pg"),
            ("monitoring", "monitoring", "infrastructure/monitoring"),
            ("campfire", "campfire", "apps/campfire", "Synced", "Progressing"),
            ("outline", "outline", "apps/outline", "Synced", "Degraded", True,
             'Deployment "outline" exceeded its progress deadline'),
            ("plane", "plane", "apps/plane", "OutOfSync", "Healthy", False),
            ("n8n", "n8n", "apps/n8n"), ("open-webui", "open-webui", "apps/open-webui"),
            ("pocketbase", "pocketbase", "apps/pocketbase")]:
        b.objs.append(argo_app(name, ns, path, *rest))
    outline_pod = next(o for o in b.objs if o["kind"] == "Pod" and
                       o["metadata"]["namespace"] == "outline" and
                       o["metadata"]["name"].startswith("outline-") and
                       "cnpg.io/cluster" not in o["metadata"]["labels"])
    camp = next(o for o in b.objs if o["kind"] == "Pod" and
                o["metadata"]["namespace"] == "campfire")
    b.objs += events([
        ("Warning", "BackOff", "Back-off restarting failed container outline in pod %s"
         % outline_pod["metadata"]["name"], "Pod", "outline", outline_pod["metadata"]["name"],
         212, "kubelet", False),
        ("Warning", "Failed", "Error: ImagePullBackOff", "Pod", "campfire",
         camp["metadata"]["name"], 37, "kubelet", False),
        ("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503",
         "Pod", "campfire", camp["metadata"]["name"], 9, "kubelet", True),
        ("Warning", "Evicted", "The node was low on resource: memory.", "Pod", "open-webui",
         ev["metadata"]["name"], 1, "kubelet", False),
        ("Warning", "CertificateExpirationWarning",
         "Node certificates require attention - restart k3s on this node to trigger automatic "
         "rotation: kube-apiserver/serving-kube-apiserver.crt: certificate CN=k3s will expire "
         "within 90 days at 2027-02-10T11:20:41Z", "Node", None, "neko", 1, "k3s-cert-monitor",
         True),
        ("Normal", "Pulled", 'Container image "grafana/alloy:v1.11.2" already present on machine',
         "Pod", "monitoring", "alloy", 1, "kubelet", False),
    ])
    b.bench(per_node)
    return FLUX_GROUPS, b.objs


def flux_obj(api, kind, name, ns, spec, ready=True, reason=None, msg=None, extra=None):
    rev = "main@sha1:" + hexid("flux" + name, 40)
    st = {"observedGeneration": 3, "lastHandledReconcileAt": ago(3600 * 6),
          "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                          "reason": reason or ("ReconciliationSucceeded" if kind ==
                                               "Kustomization" else "Succeeded"),
                          "message": msg or "Applied revision: " + rev,
                          "observedGeneration": 3, "lastTransitionTime": ago(600)}]}
    st.update(extra or {})
    return {"apiVersion": api, "kind": kind,
            "metadata": {"name": name, "namespace": ns, "generation": 3,
                         "creationTimestamp": ago(86400 * 50),
                         "finalizers": ["finalizers.fluxcd.io"]},
            "spec": spec, "status": st}


def flux(per_node):
    nodes = [node("k3s-node-%d" % i, ["control-plane", "etcd", "master"], "amd64",
                  "192.168.10.%d" % (10 + i), 4, 8, *UBUNTU) for i in (1, 2, 3)]
    b = Builder(nodes)
    b.common()
    N = b.nodes
    for d in ("source-controller", "kustomize-controller", "helm-controller",
              "notification-controller"):
        b.add("Deployment", "flux-system", d, "ghcr.io/fluxcd/%s:v1.6.1" % d, on=N[:1],
              emptydir=True)
    b.add("Deployment", "metallb-system", "metallb-controller",
          "quay.io/metallb/controller:v0.15.2", on=N[1:2])
    b.add("DaemonSet", "metallb-system", "metallb-speaker", "quay.io/metallb/speaker:v0.15.2",
          missing_on=[N[2]], cpu="20m")
    b.add("Deployment", "authentik", "authentik-server", "ghcr.io/goauthentik/server:2025.8.4",
          on=N[1:2], mem="512Mi")
    b.add("Deployment", "authentik", "authentik-worker", "ghcr.io/goauthentik/server:2025.8.4",
          on=N[2:], states=["crashloop-oom"], mem="512Mi")
    b.add("Deployment", "bitwarden", "sm-operator", "ghcr.io/bitwarden/sm-operator:0.1.0-beta",
          on=N[2:], states=["imagepull"])
    b.add("StatefulSet", "monitoring", "prometheus-kube-prometheus-stack", "quay.io/prometheus/"
          "prometheus:v3.5.0", on=N[:1], mem="1Gi")
    b.add("Deployment", "monitoring", "grafana", "grafana/grafana:12.2.0", on=N[1:2],
          states=["init"], init=[container("init-chown-data", "busybox:1.36")])
    b.add("StatefulSet", "monitoring", "loki", "grafana/loki:3.5.5", on=N[2:])
    ow, _ = b.add("Deployment", "apps", "homepage", "ghcr.io/gethomepage/homepage:v1.5.0",
                  on=N[:1])
    b.objs.append(make_pod(ow, template_hash("old-homepage"), 5, N[2], "evicted",
                           age_s=86400 * 2))
    b.objs.append(make_pod(ow, template_hash("old2-homepage"), 6, N[1], "terminating",
                           age_s=86400 * 4))
    b.objs += longhorn(N, [("monitoring", "storage-loki-0", 10, 2, N[2], True),
                           ("monitoring", "prometheus-db", 20, 2, N[0], False),
                           ("authentik", "authentik-postgresql", 8, 2, N[1], False)])
    src = {"kind": "GitRepository", "name": "flux-system"}
    ks = "kustomize.toolkit.fluxcd.io/v1"
    b.objs.append(flux_obj("source.toolkit.fluxcd.io/v1", "GitRepository", "flux-system",
                           "flux-system", {"interval": "1m0s", "ref": {"branch": "main"},
                                           "url": "ssh://git@github.com/homelab/homelab"},
                           msg="stored artifact for revision 'main@sha1:%s'"
                           % hexid("fluxflux-system", 40),
                           extra={"artifact": {"revision": "main@sha1:" +
                                               hexid("fluxflux-system", 40),
                                               "lastUpdateTime": ago(900),
                                               "digest": "sha256:" + hexid("d")}}))
    for name, path, ok, extra in [
            ("flux-system", "./kubernetes/clusters/homelab", True, {}),
            ("sources", "./kubernetes/clusters/homelab/sources", True, {}),
            ("infrastructure", "./kubernetes/clusters/homelab/infrastructure", True, {}),
            ("apps", "./kubernetes/clusters/homelab/apps", False,
             {"reason": "HealthCheckFailed", "msg": "health check failed after 9m30.0s: timeout "
              "waiting for: [Deployment/bitwarden/sm-operator status: 'InProgress']"})]:
        rev = "main@sha1:" + hexid("fluxflux-system", 40)
        o = flux_obj(ks, "Kustomization", name, "flux-system",
                     {"interval": "10m0s", "path": path, "prune": True, "sourceRef": src,
                      "suspend": False}, ok, extra.get("reason"), extra.get("msg"),
                     {"lastAppliedRevision": rev if ok else "main@sha1:" + hexid("older", 40),
                      "lastAttemptedRevision": rev})
        b.objs.append(o)
    hr = "helm.toolkit.fluxcd.io/v2"
    for name, ns, chart, ver, ok, suspend in [
            ("traefik", "traefik", "traefik", "37.1.2", True, False),
            ("cert-manager", "cert-manager", "cert-manager", "v1.19.1", True, False),
            ("metallb", "metallb-system", "metallb", "0.15.2", True, False),
            ("longhorn", "longhorn-system", "longhorn", "1.9.1", True, False),
            ("authentik", "authentik", "authentik", "2025.8.4", True, False),
            ("kube-prometheus-stack", "monitoring", "kube-prometheus-stack", "77.12.0", True,
             False),
            ("loki", "monitoring", "loki", "6.41.1", False, False),
            ("external-dns", "external-dns", "external-dns", "1.19.0", True, True)]:
        hist = [{"chartName": chart, "chartVersion": ver, "appVersion": ver,
                 "status": "deployed", "version": 4, "name": name, "namespace": ns}]
        msg = None if ok else ("Helm upgrade failed for release monitoring/loki with chart "
                               "loki@6.41.1: context deadline exceeded")
        b.objs.append(flux_obj(hr, "HelmRelease", name, "flux-system", {
            "interval": "10m0s", "suspend": suspend, "targetNamespace": ns,
            "chart": {"spec": {"chart": chart, "version": ver, "sourceRef": {
                "kind": "HelmRepository", "name": chart}}}},
            ok, "UpgradeSucceeded" if ok else "UpgradeFailed",
            msg or "Helm upgrade succeeded for release %s/%s.v4 with chart %s@%s"
            % (ns, name, chart, ver),
            {"history": hist, "lastAttemptedRevision": ver,
             **({} if ok else {"failures": 3, "upgradeFailures": 1})}))
        b.objs.append(flux_obj("source.toolkit.fluxcd.io/v1", "HelmRepository", chart,
                               "flux-system", {"interval": "1h0m0s",
                                               "url": "https://charts.example/%s" % chart},
                               msg="stored artifact: revision 'sha256:%s'" % hexid(chart)))
    wk = next(o for o in b.objs if o["kind"] == "Pod" and
              o["metadata"]["name"].startswith("authentik-worker-"))
    b.objs += events([
        ("Warning", "BackOff", "Back-off restarting failed container authentik-worker in pod "
         + wk["metadata"]["name"], "Pod", "authentik", wk["metadata"]["name"], 88, "kubelet",
         False),
        ("Warning", "HealthCheckFailed", "health check failed after 9m30.0s",
         "Kustomization", "flux-system", "apps", 4, "kustomize-controller", True),
        ("Warning", "UpgradeFailed", "Helm upgrade failed: context deadline exceeded",
         "HelmRelease", "flux-system", "loki", 3, "helm-controller", True),
    ])
    b.bench(per_node)
    return ARGO_GROUPS | CNPG_GROUPS, b.objs


def build(name, per_node=0):
    if name == "flux":
        return flux(per_node)
    return axiomlayer(per_node)


def namespaces(objs):
    seen = sorted({"default", "kube-system", "kube-public", "kube-node-lease"} |
                  {o["metadata"]["namespace"] for o in objs
                   if o["metadata"].get("namespace")})
    return [{"apiVersion": "v1", "kind": "Namespace",
             "metadata": {"name": n, "labels": {"kubernetes.io/metadata.name": n},
                          "creationTimestamp": ago(86400 * 60)},
             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
            for n in seen]


__all__ = ["build", "namespaces"]

"""The object store: one global resourceVersion, a bounded event history, watchers.

Objects are never changed in place once stored (every write stores a new dict), so the
history and the watchers' queues hold plain references.  A watch from resourceVersion R
is answered from the history when every event after R is still in it, else 410 Expired.
"""
import base64
import collections
import copy
import json
import queue
import re
import threading
import time


def now_iso(t=None):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if t is None else t))


class Gone(Exception):
    """A resourceVersion or continue token older than the history (HTTP 410)."""


# ---- selectors ----

def field_value(obj, path):
    v = obj
    for part in path.split("."):
        if not isinstance(v, dict):
            return ""
        v = v.get(part)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def parse_fields(sel):
    out = []
    for term in filter(None, (sel or "").split(",")):
        m = re.match(r"^([^!=]+)(==|=|!=)(.*)$", term)
        if not m:
            raise ValueError("invalid field selector: %r" % term)
        out.append((m.group(1), m.group(2) != "!=", m.group(3)))
    return out


def parse_labels(sel):
    out = []
    for term in re.findall(r"[^,(]+(?:\([^)]*\))?", sel or ""):
        term = term.strip()
        if not term:
            continue
        m = re.match(r"^(\S+)\s+(in|notin)\s+\((.*)\)$", term)
        if m:
            vals = {v.strip() for v in m.group(3).split(",")}
            out.append((m.group(1), m.group(2), vals))
            continue
        m = re.match(r"^([^!=]+)(==|=|!=)(.*)$", term)
        if m:
            out.append((m.group(1).strip(), "in" if m.group(2) != "!=" else "notin",
                        {m.group(3).strip()}))
        elif term.startswith("!"):
            out.append((term[1:], "absent", None))
        else:
            out.append((term, "exists", None))
    return out


def matches(obj, fields, labels):
    for path, eq, val in fields:
        if (field_value(obj, path) == val) != eq:
            return False
    lab = (obj.get("metadata") or {}).get("labels") or {}
    for key, op, vals in labels:
        if op == "exists" and key not in lab:
            return False
        if op == "absent" and key in lab:
            return False
        if op == "in" and lab.get(key) not in vals:
            return False
        if op == "notin" and key in lab and lab[key] in vals:
            return False
    return True


# ---- patches ----

MERGE_KEYS = {"containers": "name", "initContainers": "name", "volumes": "name",
              "env": "name", "conditions": "type", "volumeMounts": "mountPath",
              "ports": "containerPort", "taints": "key", "imagePullSecrets": "name"}


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch: maps merge, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def strategic_patch(target, patch, key=None):
    """The subset of strategic merge patch built-ins need: maps merge, null deletes, lists of
    named things (containers, conditions, ...) merge by their merge key, other lists
    replace, `$patch: replace|delete` on a map, other `$` directives ignored."""
    if isinstance(patch, list) and key in MERGE_KEYS and isinstance(target, list):
        mk = MERGE_KEYS[key]
        out = [copy.deepcopy(x) for x in target]
        for item in patch:
            if not isinstance(item, dict) or mk not in item:
                return copy.deepcopy(patch)
            idx = next((i for i, x in enumerate(out)
                        if isinstance(x, dict) and x.get(mk) == item[mk]), None)
            if item.get("$patch") == "delete":
                if idx is not None:
                    out.pop(idx)
            elif idx is None:
                out.append(strategic_patch({}, item))
            else:
                out[idx] = strategic_patch(out[idx], item)
        return out
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if not k.startswith("$")}
    if patch.get("$patch") == "delete":
        return None
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if k.startswith("$"):
            continue
        if v is None:
            out.pop(k, None)
        else:
            r = strategic_patch(out.get(k), v, k)
            if r is None:
                out.pop(k, None)
            else:
                out[k] = r
    return out


def json_patch(target, ops):
    """RFC 6902 (add, remove, replace, test) on a deep copy of target."""
    doc = copy.deepcopy(target)
    for op in ops:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        last = parts[-1]
        o = op["op"]
        if isinstance(parent, list):
            i = len(parent) if last == "-" else int(last)
            if o == "add":
                parent.insert(i, op["value"])
            elif o == "remove":
                parent.pop(i)
            elif o == "replace":
                parent[i] = op["value"]
            elif o == "test" and parent[i] != op["value"]:
                raise ValueError("test failed")
        else:
            if o in ("add", "replace"):
                if o == "replace" and last not in parent:
                    raise KeyError(op["path"])
                parent[last] = op["value"]
            elif o == "remove":
                del parent[last]
            elif o == "test" and parent.get(last) != op["value"]:
                raise ValueError("test failed")
    return doc


# ---- the store ----

class Watcher:
    def __init__(self, rtype, ns, fields, labels):
        self.rtype, self.ns, self.fields, self.labels = rtype, ns, fields, labels
        self.q = queue.Queue()

    def wants(self, rkey, obj):
        if rkey != self.rtype.key:
            return False
        if self.ns and (obj.get("metadata") or {}).get("namespace") != self.ns:
            return False
        return matches(obj, self.fields, self.labels)

    def event(self, rkey, typ, obj, old):
        """What this watcher sees of a write (None: nothing).  As the apiserver does, an
        object that starts matching the selectors is ADDED to the watcher, one that stops
        matching is DELETED."""
        now = self.wants(rkey, obj)
        before = old is not None and self.wants(rkey, old)
        if typ == "MODIFIED" and now != before:
            typ = "ADDED" if now else "DELETED"
            now = True
        return typ if now else None


class Store:
    def __init__(self, history=10000):
        self.lock = threading.RLock()
        self.rv = 1
        self.objs = collections.defaultdict(dict)    # rkey -> {(ns, name): obj}
        self.history = collections.deque()           # (rv, rkey, type, obj, old obj)
        self.history_max = history
        self.dropped_upto = 0       # highest RV of an event no longer in the history
        self.watchers = set()
        self.snapshots = collections.OrderedDict()   # continue token id -> (rv, items, t)
        self.hooks = []             # fn(store, rtype, old, new) after every write

    # writes
    def _record(self, rkey, typ, obj, old=None):
        self.history.append((self.rv, rkey, typ, obj, old))
        while len(self.history) > self.history_max:
            self.dropped_upto = self.history.popleft()[0]
        for w in list(self.watchers):
            t = w.event(rkey, typ, obj, old)
            if t:
                w.q.put((t, obj))

    def put(self, rtype, obj, quiet=False):
        """Create or replace obj; returns (type, stored).  Bumps the RV."""
        with self.lock:
            meta = obj.setdefault("metadata", {})
            obj.setdefault("apiVersion", rtype.gv)
            obj.setdefault("kind", rtype.kind)
            if not rtype.namespaced:
                meta.pop("namespace", None)
            key = (meta.get("namespace"), meta["name"])
            old = self.objs[rtype.key].get(key)
            meta.setdefault("uid", old["metadata"]["uid"] if old else self.uid(rtype, key))
            meta.setdefault("creationTimestamp",
                            old["metadata"]["creationTimestamp"] if old else now_iso())
            self.rv += 1
            meta["resourceVersion"] = str(self.rv)
            self.objs[rtype.key][key] = obj
            typ = "MODIFIED" if old else "ADDED"
            self._record(rtype.key, typ, obj, old)
        if not quiet:
            for h in self.hooks:
                h(self, rtype, old, obj)
        return typ, obj

    def delete(self, rtype, ns, name):
        with self.lock:
            old = self.objs[rtype.key].pop((ns if rtype.namespaced else None, name), None)
            if old is None:
                return None
            self.rv += 1
            gone = dict(old, metadata=dict(old["metadata"], resourceVersion=str(self.rv)))
            self._record(rtype.key, "DELETED", gone)
            return gone

    def update(self, rtype, ns, name, fn):
        """Apply fn to a deep copy of the object and store it; None if it is gone."""
        with self.lock:
            old = self.get(rtype, ns, name)
            if old is None:
                return None
            new = copy.deepcopy(old)
            fn(new)
            return self.put(rtype, new)[1]

    @staticmethod
    def uid(rtype, key):
        import uuid
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/%s/%s/%s" % (rtype.gv, rtype.plural,
                                                                   key[0], key[1])))

    # reads
    def get(self, rtype, ns, name):
        with self.lock:
            return self.objs[rtype.key].get((ns if rtype.namespaced else None, name))

    def items(self, rtype, ns=None, fields=(), labels=()):
        with self.lock:
            objs = self.objs[rtype.key]
            keys = sorted(objs, key=lambda k: (k[0] or "", k[1]))
            return [objs[k] for k in keys
                    if (not ns or k[0] == ns) and matches(objs[k], fields, labels)], str(self.rv)

    def page(self, rtype, ns, fields, labels, limit, cont):
        """One page of a list: (items, rv, continue token, remaining count)."""
        if cont:
            try:
                tok = json.loads(base64.b64decode(cont))
                rv, items, _ = self.snapshots[tok["id"]]
                off = tok["off"]
            except (ValueError, KeyError, TypeError):
                raise Gone("The provided continue parameter is too old to display a "
                           "consistent list result. You can start a new list without "
                           "the continue parameter.")
        else:
            items, rv = self.items(rtype, ns, fields, labels)
            off = 0
        if not limit or off + limit >= len(items):
            return items[off:], rv, None, None
        with self.lock:
            sid = "%s-%d-%d" % (rv, id(items), len(self.snapshots))
            self.snapshots[sid] = (rv, items, time.time())
            while len(self.snapshots) > 64:
                self.snapshots.popitem(last=False)
        tok = base64.b64encode(json.dumps({"v": "meta.k8s.io/v1", "rv": int(rv), "id": sid,
                                           "off": off + limit}).encode()).decode()
        return items[off:off + limit], rv, tok, len(items) - off - limit

    # watches
    def watch(self, rtype, ns, fields, labels, rv):
        """Register a watcher; returns (watcher, backlog of (type, obj))."""
        w = Watcher(rtype, ns, fields, labels)
        with self.lock:
            backlog = []
            if rv in (None, "", "0"):
                for o in self.items(rtype, ns, fields, labels)[0]:
                    backlog.append(("ADDED", o))
            else:
                try:
                    r = int(rv)
                except ValueError:
                    raise ValueError("invalid resourceVersion %r" % rv)
                if r < self.dropped_upto:
                    raise Gone("too old resource version: %d (%d)" % (r, self.dropped_upto + 1))
                for erv, rkey, typ, obj, old in self.history:
                    t = w.event(rkey, typ, obj, old) if erv > r else None
                    if t:
                        backlog.append((t, obj))
            self.watchers.add(w)
        return w, backlog

    def unwatch(self, w):
        with self.lock:
            self.watchers.discard(w)

    def expire(self):
        """Every open watch gets ERROR 410 next; older RVs (and continue tokens) are gone."""
        with self.lock:
            self.dropped_upto = self.rv
            self.history.clear()
            self.snapshots.clear()
            for w in list(self.watchers):
                w.q.put(("EXPIRE", None))

    def close_watches(self):
        with self.lock:
            for w in list(self.watchers):
                w.q.put(("CLOSE", None))

    def bookmark_rv(self, w):
        """The RV a bookmark may carry now (None while events are queued)."""
        with self.lock:
            return None if not w.q.empty() else str(self.rv)


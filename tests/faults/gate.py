#!/usr/bin/env python3
"""gate.py LISTEN_IP DST_IP DST_PORT MODEFILE — a TCP relay in front of a
service for the fault suite; prints its port.  The mode, read from MODEFILE
every 50 ms, says what the port does:

  pass     relays both ways
  silent   accepts and never answers: new connections are accepted and left
           unanswered, the open ones stop carrying anything (a black hole)
  refuse   nothing listens: new connections are refused, the open ones reset
"""
import os, selectors, socket, struct, sys, time

lip, dip, dport, modefile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]


def mode():
    try:
        with open(modefile) as f:
            return f.read().strip() or "pass"
    except OSError:
        return "pass"


sel = selectors.DefaultSelector()
port = 0
ls = None


def listen():
    global ls, port
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((lip, port))
    ls.listen(64)
    port = ls.getsockname()[1]
    sel.register(ls, selectors.EVENT_READ, "listen")


peer = {}
held = []   # connections accepted while silent: kept open, never read


def close(s, reset=False):
    o = peer.pop(s, None)
    for x in (s, o):
        if x is None:
            continue
        peer.pop(x, None)
        try:
            sel.unregister(x)
        except Exception:
            pass
        if reset:
            try:
                x.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        x.close()


listen()
print(port, flush=True)
cur = mode()
while True:
    m = mode()
    if m != cur:
        if m == "silent":
            for x in peer:
                sel.unregister(x)
        elif cur == "silent":
            for x in peer:
                sel.register(x, selectors.EVENT_READ, "conn")
        if m == "refuse":
            for s in list(peer):
                close(s, reset=True)
            for s in held:
                close(s, reset=True)
            held = []
            if ls is not None:
                sel.unregister(ls)
                ls.close()
            ls = None
        elif cur == "refuse":
            listen()
        if m == "pass":
            for s in held:
                s.close()
            held = []
        cur = m
    for key, _ in sel.select(0.05):
        s = key.fileobj
        if key.data == "listen":
            c, _ = s.accept()
            if cur == "silent":
                held.append(c)
                continue
            u = socket.socket()
            try:
                u.connect((dip, dport))
            except OSError:
                c.close()
                u.close()
                continue
            peer[c] = u
            peer[u] = c
            sel.register(c, selectors.EVENT_READ, "conn")
            sel.register(u, selectors.EVENT_READ, "conn")
            continue
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if not data or s not in peer:
            close(s)
            continue
        try:
            peer[s].sendall(data)
        except OSError:
            close(s)

#!/usr/bin/env python3
"""docker_count_proxy -- a unix-socket proxy in front of a Docker engine that
logs every HTTP request a client makes through it, for the tests that count
how many requests kitetop makes of an engine per refresh.

    docker_count_proxy.py LISTEN_SOCK UPSTREAM_SOCK LOG

Each request is one line of LOG: "MONO_SECONDS METHOD PATH" (flushed at once).
Bytes are passed through as they are in both directions; only the client's
request lines are looked at (kitetop's requests to the engine carry no body
but a start/stop, which has none either).  Ends on SIGTERM."""
import os
import re
import signal
import socket
import sys
import threading
import time

REQ = re.compile(rb"(?:^|\r\n)(GET|POST|HEAD|PUT|DELETE) (\S+) HTTP/1\.[01]\r\n")


def pump(src, dst, log, lock, count):
    tail = b""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if count:
                scan = tail + data
                now = time.monotonic()
                for m in REQ.finditer(scan):
                    if m.end() <= len(tail):
                        continue  # seen in the last chunk
                    with lock:
                        log.write("%.3f %s %s\n" % (now, m.group(1).decode(), m.group(2).decode("latin-1")))
                        log.flush()
                tail = scan[-512:]
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(conn, upstream, log, lock):
    up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        up.connect(upstream)
    except OSError:
        conn.close()
        return
    t = threading.Thread(target=pump, args=(up, conn, log, lock, False), daemon=True)
    t.start()
    pump(conn, up, log, lock, True)
    t.join()
    conn.close()
    up.close()


def main():
    listen, upstream, logpath = sys.argv[1:4]
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    try:
        os.unlink(listen)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(listen)
    srv.listen(128)
    log = open(logpath, "a")
    lock = threading.Lock()
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, upstream, log, lock), daemon=True).start()


if __name__ == "__main__":
    main()

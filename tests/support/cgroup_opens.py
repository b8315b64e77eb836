#!/usr/bin/env python3
"""cgroup_opens — which containers' cgroup files something opened.

  cgroup_opens.py DIR SECONDS

watches every container directory under DIR (a cgroup v1 tree's
memory/*/ID/ or a v2 tree's */ID/, as bench/scale/fake_dockerd.py writes
them) with inotify for IN_OPEN, for SECONDS, then prints a line "ID N" for
each container whose files were opened N > 0 times, and "watched K" last
(K: the directories watched).  The fake engine writes the memory files
once, at its start, so on a v1 tree every open seen under memory/ is a
reader's.  Linux only (inotify through libc with ctypes)."""
import ctypes
import ctypes.util
import os
import re
import select
import struct
import sys
import time

IN_OPEN = 0x20
IN_NONBLOCK = 0o4000
ID = re.compile(r"^[0-9a-f]{64}$")


def main():
    root, seconds = sys.argv[1], float(sys.argv[2])
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fd = libc.inotify_init1(IN_NONBLOCK)
    if fd < 0:
        sys.exit("inotify_init1: %s" % os.strerror(ctypes.get_errno()))
    wd_id = {}
    # v1: memory/PARENT/ID; v2: PARENT/ID (the memory files are not rewritten)
    tops = [os.path.join(root, "memory")] if os.path.isdir(os.path.join(root, "memory")) else [root]
    for top in tops:
        for parent in sorted(os.listdir(top)):
            pdir = os.path.join(top, parent)
            if not os.path.isdir(pdir):
                continue
            for cid in os.listdir(pdir):
                if ID.match(cid):
                    wd = libc.inotify_add_watch(fd, os.path.join(pdir, cid).encode(), IN_OPEN)
                    if wd < 0:
                        sys.exit("inotify_add_watch: %s" % os.strerror(ctypes.get_errno()))
                    wd_id[wd] = cid
    counts = {}
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        i = 0
        while i + 16 <= len(data):
            wd, _mask, _cookie, length = struct.unpack_from("iIII", data, i)
            if wd in wd_id:
                counts[wd_id[wd]] = counts.get(wd_id[wd], 0) + 1
            i += 16 + length
    for cid in sorted(counts):
        print(cid, counts[cid])
    print("watched", len(wd_id))


if __name__ == "__main__":
    main()

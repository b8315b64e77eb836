#!/usr/bin/env python3
"""Key latency and frame time while scrolling a big fleet: kitetop in a 200x50
pty with CONFIG (the fake engines of bench/scale/run.sh).  Once the focused
host's list is drawn:

  j one at a time   ROWS keys, each timed from its write to the end of the
                    redraw it causes (the last byte of the burst that
                    follows, 30 ms of quiet ending it, not counted);
  j held            ROWS keys at a key repeat's 30 a second without waiting:
                    how long after the last key the screen is quiet (the lag);
  PgDn              through every host's list (Tab to the next), each timed;
  frame time        the bursts no key caused (a refresh's new data): first
                    byte to last (the terminal's side of a frame; run.sh
                    prints kitetop's CPU per refresh beside it).

Prints median, 95th percentile and max of each.

usage: bench/scale/keys.py KITETOP CONFIG [ROWS] [HOSTS]"""
import fcntl, os, pty, select, signal, statistics, struct, sys, termios, time


def burst(fd, first_timeout, quiet=0.03):
    """Reads the output a key causes; (first byte time, last byte time, bytes) or None."""
    first = last = None
    n = 0
    timeout = first_timeout
    while True:
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return (first, last, n) if first else None
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            return (first, last, n) if first else None
        last = time.monotonic()
        first = first or last
        n += len(data)
        timeout = quiet


def stats(name, v):
    if not v:
        print(f"{name}: nothing measured")
        return
    v = sorted(v)
    p95 = v[min(len(v) - 1, int(len(v) * 0.95))]
    print(f"{name}: median {statistics.median(v):.1f} ms, p95 {p95:.1f} ms, max {v[-1]:.1f} ms ({len(v)} samples)")


def main():
    kt, conf = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    hosts = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["LANG"] = os.environ["LC_ALL"] = "C.UTF-8"
        os.execv(kt, [kt, "-c", conf])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    frames = []
    # start-up: the first lists and stats of every host
    end = time.monotonic() + float(os.environ.get("KT_KEYS_WARMUP", "15"))
    while time.monotonic() < end:
        b = burst(fd, 0.2)
        if b and time.monotonic() > end - 10:
            frames.append((b[1] - b[0]) * 1000)

    def timed(key, n, gap=0.0):
        took = []
        for _ in range(n):
            b = burst(fd, 0.0)                  # whatever a refresh drew meanwhile
            if b:
                frames.append((b[1] - b[0]) * 1000)
            t0 = time.monotonic()
            os.write(fd, key)
            b = burst(fd, 1.0)
            if b:
                took.append((b[1] - t0) * 1000)
            if gap:
                time.sleep(gap)
        return took

    os.write(fd, b"g")
    burst(fd, 0.5)
    stats("j one at a time", timed(b"j", rows))
    # held: keys at 30/s without waiting for the redraws
    os.write(fd, b"g")
    burst(fd, 0.5)
    t_last = None
    for _ in range(rows):
        os.write(fd, b"j")
        t_last = time.monotonic()
        t_next = t_last + 1 / 30
        while True:
            left = t_next - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    os.read(fd, 65536)
                except OSError:
                    break
    b = burst(fd, 0.5)
    lag = (b[1] - t_last) * 1000 if b else 0.0
    print(f"j held ({rows} keys at 30/s): the screen quiet {lag:.1f} ms after the last key")
    # PgDn through every host's list
    pg = []
    for h in range(hosts):
        os.write(fd, b"g")
        burst(fd, 0.5)
        pg += timed(b"\x1b[6~", max(1, rows // 40 + 1))
        os.write(fd, b"\t")
        burst(fd, 0.5)
    stats(f"PgDn through {hosts} hosts x {rows} rows", pg)
    # frame time: bursts of new data, no key
    end = time.monotonic() + 10
    while time.monotonic() < end:
        b = burst(fd, 0.5)
        if b:
            frames.append((b[1] - b[0]) * 1000)
    stats("frame time (a refresh's redraw, first byte to last)", frames)
    os.write(fd, b"q")
    deadline = time.monotonic() + 5
    exited = False
    while not exited and time.monotonic() < deadline:
        burst(fd, 0.05)
        exited = os.waitpid(pid, os.WNOHANG)[0] != 0
    if not exited:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


if __name__ == "__main__":
    main()

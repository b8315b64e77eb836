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
  frame time        kitetop's CPU per redraw a key caused: its CPU time
                    (utime+stime) over the j keys one at a time, less what
                    it spends meanwhile without keys (measured over 10 s
                    before), divided by the keys.

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


def cpu_ms(pid):
    """utime+stime of pid in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


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
    # start-up: the first lists and stats of every host
    end = time.monotonic() + float(os.environ.get("KT_KEYS_WARMUP", "15"))
    while time.monotonic() < end:
        burst(fd, 0.2)

    def timed(key, n, gap=0.0):
        took = []
        for _ in range(n):
            burst(fd, 0.0)                      # whatever a refresh drew meanwhile
            t0 = time.monotonic()
            os.write(fd, key)
            b = burst(fd, 1.0)
            if b:
                took.append((b[1] - t0) * 1000)
            if gap:
                time.sleep(gap)
        return took

    # the CPU kitetop spends without keys (the polls, the refreshes' redraws)
    t0, c0 = time.monotonic(), cpu_ms(pid)
    end = t0 + 10
    while time.monotonic() < end:
        burst(fd, 0.5)
    idle_rate = (cpu_ms(pid) - c0) / (time.monotonic() - t0)
    os.write(fd, b"g")
    burst(fd, 0.5)
    t0, c0 = time.monotonic(), cpu_ms(pid)
    took = timed(b"j", rows)
    spent = cpu_ms(pid) - c0 - idle_rate * (time.monotonic() - t0)
    stats("j one at a time", took)
    # held: keys at 30/s without waiting for the redraws
    os.write(fd, b"g")
    burst(fd, 0.5)
    t_last = last_byte = None
    held = max(1, rows - 2)             # every key moves: none at the list's end
    for _ in range(held):
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
                    if os.read(fd, 65536):
                        last_byte = time.monotonic()
                except OSError:
                    break
    b = burst(fd, 0.1)                  # its redraw, or the backlog's end
    if b:
        last_byte = b[1]
    lag = (last_byte - t_last) * 1000 if last_byte and last_byte > t_last else 0.0
    print(f"j held ({held} keys at 30/s): the last key's redraw done {lag:.1f} ms after it")
    # PgDn through every host's list
    pg = []
    for h in range(hosts):
        os.write(fd, b"g")
        burst(fd, 0.5)
        pg += timed(b"\x1b[6~", max(1, rows // 40 + 1))
        os.write(fd, b"\t")
        burst(fd, 0.5)
    stats(f"PgDn through {hosts} hosts x {rows} rows", pg)
    print(f"frame time: {max(spent, 0) / max(len(took), 1):.2f} ms of kitetop's CPU a redraw "
          f"(the {len(took)} j keys; {idle_rate:.1f} ms/s spent meanwhile without keys subtracted)")
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

#!/usr/bin/env python3
"""Key latency while one host hangs: kitetop in a 200x50 pty with a config of
this machine and a host whose SSH server is blackholed (a listener on
127.0.0.9 that accepts the TCP connection and never says a word, so the SSH
handshake hangs until its timeout, again and again).  After start-up, keys
switch views ('2', '1', '?', Esc) N times; each is timed from the write of the
key to the end of the redraw it causes (the last byte of the burst of output
that follows, 30 ms of quiet ending it; the quiet is not counted).  Prints median and max (target <= 50 ms).

usage: bench/key_latency.py KITETOP [N]"""
import fcntl, os, pty, select, signal, socket, statistics, struct, sys, tempfile, termios, time

def drain_burst(fd, first_timeout, quiet=0.03):
    """Reads the output a key causes; returns the time of its last byte, or None."""
    last = None
    timeout = first_timeout
    while True:
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return last
        try:
            if not os.read(fd, 65536):
                return last
        except OSError:
            return last
        last = time.monotonic()
        timeout = quiet

def main():
    kt = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hole.bind(("127.0.0.9", 0))
    hole.listen(64)          # never accepted: the kernel completes the handshake, nobody talks
    port = hole.getsockname()[1]
    d = tempfile.mkdtemp()
    key = os.path.join(d, "key")
    with open(key, "w") as f:
        f.write("not a key: never reached, the server never answers\n")
    os.chmod(key, 0o600)
    conf = os.path.join(d, "kitetop.conf")
    with open(conf, "w") as f:
        f.write(f"[kitetop]\nrefresh = 2\ntimeout = 5\n\n[host here]\n\n"
                f"[host blackholed]\nssh = root@127.0.0.9:{port}\nidentity_file = {key}\n"
                f"known_hosts = {os.path.join(d, 'known_hosts')}\ndocker = ssh\n")
    open(os.path.join(d, "known_hosts"), "w").close()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["LANG"] = os.environ["LC_ALL"] = "C.UTF-8"
        os.execv(kt, [kt, "-c", conf])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    end = time.monotonic() + 3          # start-up, and the handshake hanging
    while time.monotonic() < end:
        drain_burst(fd, 0.2)
    keys = [b"2", b"1", b"?", b"\x1b"]
    took = []
    for i in range(n):
        drain_burst(fd, 0.0)            # whatever a source drew meanwhile
        t0 = time.monotonic()
        os.write(fd, keys[i % len(keys)])
        last = drain_burst(fd, 1.0)
        if last is not None:
            took.append((last - t0) * 1000)
        time.sleep(0.1)
    os.write(fd, b"q")
    deadline = time.monotonic() + 3
    exited = False
    while not exited and time.monotonic() < deadline:
        drain_burst(fd, 0.05)
        exited = os.waitpid(pid, os.WNOHANG)[0] != 0
    if not exited:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    hole.close()
    if len(took) != n:
        print(f"key latency: {n - len(took)} of {n} keys drew nothing within 1 s")
        sys.exit(1)
    print(f"key latency with a blackholed host: median {statistics.median(took):.1f} ms, "
          f"95th percentile {sorted(took)[int(len(took) * 0.95) - 1]:.1f} ms, max {max(took):.1f} ms over {n} keys (target <= 50 ms)")

main()

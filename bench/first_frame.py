#!/usr/bin/env python3
"""First frame: time from exec to kitetop's first full screen, in a pty of
200x50, before any source has answered.  Runs N times, prints median and max.

usage: bench/first_frame.py KITETOP CONFIG [N]"""
import fcntl, os, pty, select, signal, statistics, struct, sys, termios, time

def one(kt, conf):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["LANG"] = os.environ["LC_ALL"] = "C.UTF-8"
        os.execv(kt, [kt, "-c", conf])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    t0 = time.monotonic()
    seen = b""
    took = None
    while time.monotonic() - t0 < 5:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        seen += data
        # the header and the keybar: the whole first frame is on screen
        if b"Overview" in seen and b"quit" in seen:
            took = (time.monotonic() - t0) * 1000
            break
    os.write(fd, b"q")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            os.read(fd, 65536)
        except OSError:
            pass
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    return took

def main():
    kt, conf = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    runs = [one(kt, conf) for _ in range(n)]
    ok = [r for r in runs if r is not None]
    if len(ok) != n:
        print(f"first frame: {n - len(ok)} of {n} runs showed no frame within 5 s")
        sys.exit(1)
    print(f"first frame: median {statistics.median(ok):.1f} ms, max {max(ok):.1f} ms over {n} runs (target <= 100 ms)")

main()

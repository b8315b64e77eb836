#!/usr/bin/env python3
"""slowlink — a userspace TCP proxy that makes a loopback link slow.

The lab's hosts all live on 127.0.0.0/8, where a round trip takes some
microseconds; this kernel has no netem to slow one down.  slowlink listens on
one address, connects each client to one target and forwards both directions
with a configurable one-way delay (so a round trip through it costs twice
that), keeping the order of the bytes and their rate: each chunk read at time t
is written at t + delay (+ jitter, never reordering), and reading goes on while
earlier chunks wait.

At run time it can stall the link (stop forwarding in both directions, keep
every connection open: a host that stopped answering) and cut it (close every
connection with a RST: a link that broke), through a control socket or signals:

  control socket (--control PATH, a Unix socket; one command a line, answer "ok"):
    stall        stop forwarding, keep the connections open
    resume       forward again (what was held is delivered, in order)
    cut          reset every open connection (new ones are accepted)
    delay MS     change the one-way delay for new chunks
    status       "connections N stalled 0|1 delay MS"
  signals: SIGUSR1 stall, SIGUSR2 resume, SIGHUP cut, SIGTERM/SIGINT exit.

It never binds or connects outside 127.0.0.0/8.

  slowlink.py --listen 127.0.0.190:2222 --target 127.0.0.2:22 --delay 150 \
      [--jitter 10] [--control /tmp/x.sock] [--pidfile /tmp/x.pid]
"""

import argparse
import asyncio
import ipaddress
import os
import random
import signal
import socket
import struct
import sys
import time


def loopback_addr(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: want HOST:PORT")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{host!r}: want a numeric IPv4 address")
    if ip.version != 4 or ip not in ipaddress.ip_network("127.0.0.0/8"):
        raise argparse.ArgumentTypeError(f"{host}: only 127.0.0.0/8 is allowed")
    return host, int(port)


class Link:
    def __init__(self, target, delay_ms, jitter_ms, trace=None):
        self.trace = trace               # a file: one line per chunk read
        self.t0 = time.monotonic()
        self.target = target
        self.delay = delay_ms / 1000.0
        self.jitter = jitter_ms / 1000.0
        self.stalled = asyncio.Event()   # set = forwarding allowed
        self.stalled.set()
        self.conns = set()               # (client writer, server writer)

    def due(self, last):
        """When a chunk read now may go out: after the delay, never before the
        previous chunk of the same direction (no reordering)."""
        d = self.delay
        if self.jitter:
            d = max(0.0, d + random.uniform(-self.jitter, self.jitter))
        return max(time.monotonic() + d, last)

    async def pump(self, reader, writer, peer, conn=0):
        """One direction: read chunks as they come, queue them with their due
        time, and a writer task sends each when due (and when not stalled)."""
        queue = asyncio.Queue()

        async def send():
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                await self.stalled.wait()
                if data is None:
                    try:
                        if writer.can_write_eof():
                            writer.write_eof()
                    except OSError:
                        pass
                    return
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(send())
        last = 0.0
        try:
            while True:
                data = await reader.read(65536)
                if self.trace:
                    self.trace.write(f"{time.monotonic() - self.t0:9.3f} "
                                     f"c{conn} to-{peer} "
                                     f"{len(data)}\n")
                    self.trace.flush()
                last = self.due(last)
                await queue.put((last, data if data else None))
                if not data:
                    break
            await sender
        except (ConnectionError, OSError):
            reset(writer)       # the other end broke: break this one too
        finally:
            sender.cancel()

    async def handle(self, creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection(*self.target)
        except OSError:
            reset(cwriter)
            return
        pair = (cwriter, swriter)
        self.conns.add(pair)
        self.nconn = getattr(self, "nconn", 0) + 1
        conn = self.nconn
        try:
            await asyncio.gather(self.pump(creader, swriter, "server", conn),
                                 self.pump(sreader, cwriter, "client", conn))
        except asyncio.CancelledError:
            pass                # shutting down
        finally:
            self.conns.discard(pair)
            for w in pair:
                w.close()

    def cut(self):
        for pair in list(self.conns):
            for w in pair:
                reset(w)
        self.conns.clear()


def reset(writer):
    """Close with a RST (SO_LINGER 0), as a broken link would."""
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()


async def control(link, path):
    async def serve(reader, writer):
        while True:
            line = await reader.readline()
            if not line:
                break
            words = line.decode(errors="replace").split()
            answer = "ok"
            if not words:
                continue
            if words[0] == "stall":
                link.stalled.clear()
            elif words[0] == "resume":
                link.stalled.set()
            elif words[0] == "cut":
                link.cut()
            elif words[0] == "delay" and len(words) == 2 and words[1].isdigit():
                link.delay = int(words[1]) / 1000.0
            elif words[0] == "status":
                answer = (f"connections {len(link.conns)} "
                          f"stalled {0 if link.stalled.is_set() else 1} "
                          f"delay {int(link.delay * 1000)}")
            else:
                answer = "error: stall|resume|cut|delay MS|status"
            writer.write((answer + "\n").encode())
            await writer.drain()
        writer.close()

    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return await asyncio.start_unix_server(serve, path)


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", type=loopback_addr, required=True)
    ap.add_argument("--target", type=loopback_addr, required=True)
    ap.add_argument("--delay", type=int, default=0, help="one-way delay, ms")
    ap.add_argument("--jitter", type=int, default=0, help="± ms on each chunk")
    ap.add_argument("--control", help="Unix socket for stall/resume/cut")
    ap.add_argument("--pidfile")
    ap.add_argument("--trace", help="log each chunk read (time, conn, dir, bytes)")
    a = ap.parse_args()

    trace = open(a.trace, "w") if a.trace else None
    link = Link(a.target, a.delay, a.jitter, trace)
    server = await asyncio.start_server(link.handle, *a.listen,
                                        reuse_address=True)
    ctl = await control(link, a.control) if a.control else None
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, link.stalled.clear)
    loop.add_signal_handler(signal.SIGUSR2, link.stalled.set)
    loop.add_signal_handler(signal.SIGHUP, link.cut)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    if a.pidfile:
        with open(a.pidfile + ".tmp", "w") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(a.pidfile + ".tmp", a.pidfile)   # written once listening
    await stop.wait()
    server.close()
    link.cut()
    if ctl:
        ctl.close()
        os.unlink(a.control)
    if a.pidfile:
        try:
            os.unlink(a.pidfile)
        except FileNotFoundError:
            pass


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)

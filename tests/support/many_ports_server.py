#!/usr/bin/env python3
"""many_ports_server.py ADDRESS COUNT PORTFILE — one process serving HTTP on
COUNT distinct ports of ADDRESS (each chosen by the kernel), for the tests of
many services probed through one host.

Every port answers any GET with 200 and a short body, keeping the connection
open (HTTP/1.1 keep-alive) until the client closes it.  PORTFILE receives the
ports, one a line, once every port listens.  GET /stats on any port answers
JSON: "accepts" (connections accepted so far), "open" (open now), "peak"
(most open at once since the last GET /stats?reset), "requests".  Stops on
SIGTERM."""
import asyncio
import json
import os
import signal
import sys

stats = {"accepts": 0, "open": 0, "peak": 0, "requests": 0}


async def serve(reader, writer):
    stats["accepts"] += 1
    stats["open"] += 1
    stats["peak"] = max(stats["peak"], stats["open"])
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            path = parts[1] if len(parts) > 1 else "/"
            if path.startswith("/stats"):
                body = json.dumps(stats).encode()
                if "reset" in path:
                    stats["peak"] = stats["open"]
                    stats["accepts"] = 0
                    stats["requests"] = 0
            else:
                stats["requests"] += 1
                body = b"ok\n"
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        stats["open"] -= 1
        writer.close()


async def main():
    addr, count, portfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    servers = [await asyncio.start_server(serve, addr, 0) for _ in range(count)]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("".join("%d\n" % p for p in ports))
    os.rename(tmp, portfile)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()


asyncio.run(main())

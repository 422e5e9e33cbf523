#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that adds a network round trip to everything passing through.

Every chunk waits RTT/2 in each direction (order kept), so a TLS handshake or a request costs
what it would on a link with that round-trip time. A proxy in user space cannot delay the TCP
handshake itself (connect() to it returns at once), so a new connection's first bytes wait one
RTT more: the time to the first answer is then what SYN, SYN-ACK and the first request cost.

Usage: delay_proxy.py PORT_FILE CONTROL_FILE STATS_FILE
  Listens on a free port and writes it to PORT_FILE. For each new connection it reads
  CONTROL_FILE ("UPSTREAM_PORT RTT_MS"), so one proxy serves runs with different upstreams and
  round trips. STATS_FILE holds the number of connections accepted so far.
  With DELAY_PROXY_LOG set, one line per chunk goes to that file: "T CONN DIR EVENT BYTES", T
  in seconds (monotonic), DIR c2s or s2c, EVENT read (when it arrived) or sent (when it was
  delivered, RTT/2 later): where a listing's time goes, on the wire, without guessing.
"""
import asyncio
import os
import sys

port_file, control_file, stats_file = sys.argv[1:4]
accepted = 0
log = open(os.environ["DELAY_PROXY_LOG"], "a", buffering=1) if os.environ.get("DELAY_PROXY_LOG") else None


def note(conn, direction, event, n):
    if log:
        log.write("%.6f %d %s %s %d\n" % (asyncio.get_running_loop().time(), conn, direction, event, n))


def control():
    with open(control_file) as f:
        upstream, rtt = f.read().split()
    return int(upstream), int(rtt) / 1000.0


async def pump(reader, writer, half, first_extra, conn, direction):
    """Copies reader to writer, each chunk delivered `half` seconds after it was read."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read_side():
        extra = first_extra
        while True:
            try:
                data = await reader.read(65536)
            except (ConnectionError, OSError):
                data = b""
            note(conn, direction, "read", len(data))
            await queue.put((loop.time() + half + extra, data))
            extra = 0.0
            if not data:
                return

    async def write_side():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
                note(conn, direction, "sent", len(data))
            except (ConnectionError, OSError):
                return

    await asyncio.gather(read_side(), write_side())


async def serve(client_reader, client_writer):
    global accepted
    accepted += 1
    tmp = stats_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % accepted)
    os.replace(tmp, stats_file)
    upstream, rtt = control()
    try:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream)
    except OSError:
        client_writer.close()
        return
    conn = accepted
    await asyncio.gather(pump(client_reader, up_writer, rtt / 2, rtt, conn, "c2s"),
                         pump(up_reader, client_writer, rtt / 2, 0.0, conn, "s2c"))
    for w in (client_writer, up_writer):
        try:
            w.close()
        except OSError:
            pass


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, port_file)
    async with server:
        await server.serve_forever()


try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass

#!/usr/bin/env python3
"""A peer that floods pings and never reads a byte, so every pong the other side queues stays
unwritten (the test of memory bounds under a ping flood).

usage: ping_flood.py serve --seconds S
       ping_flood.py connect PORT --pings N [--connections C]

serve    listens (announcing its port like every peer); on each connection it completes the
         handshake, then sends pings (125-byte payloads) as fast as TCP takes them for S seconds
         without reading, then drops the connection (no close frame).
connect  connects C times (at once) to a WebSocket server on 127.0.0.1:PORT, completes the
         handshake, sends N masked pings on each connection without reading, then drops them.
         Prints `sent N` per connection; exits 0.
"""

import argparse
import asyncio
import base64
import os
import struct
import time

import _common

# Pings go out in chunks built once (Python could not build them as fast as TCP takes them);
# the payloads differ within a chunk, so answering them is real work.
# Payloads of the largest size a control frame allows (125 bytes): each pong a peer queues and
# never gets to write costs it as much memory as possible.
CHUNK_PINGS = 8192
PADDING = b"p" * 117
SERVER_CHUNK = b"".join(b"\x89\x7d" + struct.pack("!Q", i) + PADDING for i in range(CHUNK_PINGS))
# A zero masking key leaves the payload as is; RFC 6455 allows any key.
CLIENT_CHUNK = b"".join(b"\x89\xfd\0\0\0\0" + struct.pack("!Q", i) + PADDING for i in range(CHUNK_PINGS))


async def upgrade_as_server(reader, writer) -> bool:
    import hashlib

    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return False
    key = ""
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    accept = base64.b64encode(hashlib.sha1((key + guid).encode()).digest()).decode()
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
    )
    await writer.drain()
    return True


async def serve(seconds: float) -> None:
    async def handle(reader, writer):
        try:
            if not await upgrade_as_server(reader, writer):
                return
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                writer.write(SERVER_CHUNK)
                await asyncio.wait_for(writer.drain(), max(0.01, deadline - time.monotonic()))
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.transport.abort()

    server = await asyncio.start_server(handle, _common.HOST, 0)
    _common.announce_port(server.sockets[0].getsockname()[1])
    async with server:
        await _common.serve_until_stopped()


async def flood_one(port: int, pings: int) -> None:
    reader, writer = await asyncio.open_connection(_common.HOST, port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert head.startswith(b"HTTP/1.1 101"), head
    sent = 0
    while sent < pings:
        writer.write(CLIENT_CHUNK)
        sent += CHUNK_PINGS
        await asyncio.wait_for(writer.drain(), 30)
    print("sent", sent, flush=True)
    writer.transport.abort()


async def connect(port: int, pings: int, connections: int) -> None:
    await asyncio.gather(*(flood_one(port, pings) for _ in range(connections)))


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["serve", "connect"])
    parser.add_argument("port", nargs="?", type=int)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--pings", type=int, default=2_000_000)
    parser.add_argument("--connections", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "serve":
        await serve(args.seconds)
    else:
        await asyncio.wait_for(connect(args.port, args.pings, args.connections), 60)


if __name__ == "__main__":
    _common.run(main)

#!/usr/bin/env python3
"""Peers that end connections on purpose, for the reconnect and heartbeat tests.

usage: flaky.py MODE [options]

MODE
  every N --report FILE
        Counts text messages across connections. After N messages on one connection it sends a
        close frame 1012 (service restart) but goes on reading and counting the data frames that
        were already on their way, until the client's close arrives; then it closes the TCP
        connection and accepts the next one. After every connection it writes
        `count=C inorder=BOOL connections=K` to FILE (messages must be 1, 2, 3, ...).
        --linger S keeps the TCP connection open S seconds after the close handshake, as a
        server that is slow to hang up (the client's own close then finds the handshake done).
  restart --down-after S --down-for S
        An echo server that, S seconds after its first client connected, drops every connection
        and stops listening (as if stopped), then listens again on the same port after --down-for
        seconds.
  mute
        Completes the handshake, then reads and ignores everything: never a pong, never a close.

Plain asyncio sockets, so the peer decides exactly what happens on the wire.
"""

import argparse
import asyncio
import base64
import hashlib
import struct

import _common

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


async def handshake(reader, writer) -> bool:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return False
    key = ""
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
    )
    await writer.drain()
    return True


async def read_frame(reader):
    """One client frame: (opcode, payload). Raises IncompleteReadError at end of stream."""
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    mask = await reader.readexactly(4) if second & 0x80 else b"\0\0\0\0"
    data = bytearray(await reader.readexactly(length))
    for i in range(length):
        data[i] ^= mask[i % 4]
    return first & 0x0F, bytes(data)


def frame(opcode: int, payload: bytes) -> bytes:
    if len(payload) < 126:
        header = struct.pack("!BB", 0x80 | opcode, len(payload))
    elif len(payload) < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 126, len(payload))
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, len(payload))
    return header + payload


class Every:
    def __init__(self, n: int, report: str, linger: float):
        self.n = n
        self.report = report
        self.linger = linger
        self.count = 0
        self.in_order = True
        self.connections = 0

    async def handle(self, reader, writer):
        if not await handshake(reader, writer):
            writer.close()
            return
        self.connections += 1
        on_this_connection = 0
        closing = False
        try:
            while True:
                opcode, payload = await read_frame(reader)
                if opcode == 0x1:
                    self.count += 1
                    on_this_connection += 1
                    if payload != str(self.count).encode():
                        self.in_order = False
                    if on_this_connection == self.n and not closing:
                        closing = True
                        writer.write(frame(0x8, struct.pack("!H", 1012) + b"restart"))
                        await writer.drain()
                elif opcode == 0x8:
                    if not closing:
                        writer.write(frame(0x8, payload[:2]))
                        await writer.drain()
                    if self.linger > 0:
                        await asyncio.sleep(self.linger)
                    break
                elif opcode == 0x9:
                    writer.write(frame(0xA, payload))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            _common.write_report(self.report, [
                f"count={self.count} inorder={'true' if self.in_order else 'false'} connections={self.connections}"
            ])


class Restart:
    def __init__(self, down_after: float, down_for: float):
        self.down_after = down_after
        self.down_for = down_for
        self.writers = set()
        self.first_client = asyncio.Event()

    async def handle(self, reader, writer):
        self.first_client.set()
        self.writers.add(writer)
        try:
            if not await handshake(reader, writer):
                return
            while True:
                opcode, payload = await read_frame(reader)
                if opcode in (0x1, 0x2):
                    writer.write(frame(opcode, payload))
                elif opcode == 0x9:
                    writer.write(frame(0xA, payload))
                elif opcode == 0x8:
                    writer.write(frame(0x8, payload[:2]))
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def run(self, port_holder):
        server = await asyncio.start_server(self.handle, _common.HOST, 0)
        port = server.sockets[0].getsockname()[1]
        _common.announce_port(port)
        await self.first_client.wait()
        await asyncio.sleep(self.down_after)
        server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        await server.wait_closed()
        await asyncio.sleep(self.down_for)
        server = await asyncio.start_server(self.handle, _common.HOST, port, reuse_address=True)
        port_holder.append(server)


async def mute(reader, writer):
    if await handshake(reader, writer):
        try:
            while await reader.read(65536):
                pass
        except ConnectionError:
            pass
    writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["every", "restart", "mute"])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--report")
    parser.add_argument("--down-after", type=float, default=1.0)
    parser.add_argument("--down-for", type=float, default=2.0)
    parser.add_argument("--linger", type=float, default=0.0)
    args = parser.parse_args()

    if args.mode == "restart":
        holder = []
        asyncio.get_running_loop().create_task(Restart(args.down_after, args.down_for).run(holder))
        await _common.serve_until_stopped()
        return
    handler = Every(args.n, args.report, args.linger).handle if args.mode == "every" else mute
    server = await asyncio.start_server(handler, _common.HOST, 0, limit=1 << 20)
    _common.announce_port(server.sockets[0].getsockname()[1])
    async with server:
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

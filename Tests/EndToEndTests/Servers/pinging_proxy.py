#!/usr/bin/env python3
"""Proxy peer: a WebSocket-aware relay in front of a server that answers pings itself.

usage: pinging_proxy.py BACKEND_PORT [--delay SECONDS]

It relays the HTTP upgrade and then every frame between the client and the server on
127.0.0.1:BACKEND_PORT, except the client's pings: it answers those itself, at once, without
passing them on. With --delay, each frame from the client reaches the server that much later (a
distant server behind a nearby proxy). A pong from here says nothing about what the server has
read: a client that closes soon after its pong loses the replies still on their way.
"""

import argparse
import asyncio

import _common


async def read_head(reader) -> bytes:
    return await reader.readuntil(b"\r\n\r\n")


async def read_frame(reader) -> tuple[bytes, int, bytes]:
    """One frame: its raw bytes, its opcode, and its (unmasked) payload."""
    head = await reader.readexactly(2)
    length = head[1] & 0x7F
    extra = b""
    if length == 126:
        extra = await reader.readexactly(2)
        length = int.from_bytes(extra, "big")
    elif length == 127:
        extra = await reader.readexactly(8)
        length = int.from_bytes(extra, "big")
    mask = await reader.readexactly(4) if head[1] & 0x80 else b""
    data = await reader.readexactly(length)
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(data)) if mask else data
    return head + extra + mask + data, head[0] & 0x0F, payload


def pong_frame(payload: bytes) -> bytes:
    return bytes([0x8A, len(payload)]) + payload


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend_port", type=int)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()

    async def handle(client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection(_common.HOST, args.backend_port)
        to_client = asyncio.Lock()  # frames from the server and our pongs never interleave
        try:
            server_writer.write(await read_head(client_reader))
            head = await read_head(server_reader)
            client_writer.write(head)

            async def upstream() -> None:
                loop = asyncio.get_running_loop()
                while True:
                    raw, opcode, payload = await read_frame(client_reader)
                    if opcode == 0x9:
                        async with to_client:
                            client_writer.write(pong_frame(payload))
                        continue
                    due = loop.time() + args.delay
                    loop.call_at(due, server_writer.write, raw)
                    if opcode == 0x8:
                        return

            async def downstream() -> None:
                while True:
                    raw, opcode, _ = await read_frame(server_reader)
                    async with to_client:
                        client_writer.write(raw)
                    if opcode == 0x8:
                        return

            await asyncio.gather(upstream(), downstream())
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            await asyncio.sleep(args.delay)
            for writer in (client_writer, server_writer):
                writer.close()

    server = await asyncio.start_server(handle, _common.HOST, 0)
    _common.announce_port(server.sockets[0].getsockname()[1])
    await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

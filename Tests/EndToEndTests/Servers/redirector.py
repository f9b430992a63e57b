#!/usr/bin/env python3
"""Redirecting peer on plain asyncio sockets, for the -L credential rules.

usage: redirector.py [--tls CERT KEY] LOCATION

A request for "/" gets "302 Found" with Location: LOCATION ("{port}" in it is replaced by this
peer's own port). A request for any other path is upgraded (101), gets one text message
describing the request, {"path": "/next", "headers": [["Name", "value"], ...]}, and a close
frame with 1000. With --tls it serves wss:// with that certificate chain and key.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import ssl
import struct

import _common

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def parse_head(head: bytes) -> tuple[str, list[list[str]]]:
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers.append([name.strip(), value.strip()])
    return path, headers


def frame(opcode: int, payload: bytes) -> bytes:
    if len(payload) < 126:
        return bytes([0x80 | opcode, len(payload)]) + payload
    return bytes([0x80 | opcode, 126]) + struct.pack("!H", len(payload)) + payload


async def drain_until_eof(reader, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(65536):
                pass
    except (TimeoutError, ConnectionError, ssl.SSLError):
        pass


def make_handler(location_for):
    async def handle(reader, writer) -> None:
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                writer.close()
                return
            path, headers = parse_head(head)
            if path == "/":
                writer.write(
                    b"HTTP/1.1 302 Found\r\n"
                    b"Location: " + location_for().encode() + b"\r\n"
                    b"Content-Length: 0\r\n"
                    b"\r\n"
                )
            else:
                key = next((value for name, value in headers if name.lower() == "sec-websocket-key"), "")
                accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
                description = json.dumps({"path": path, "headers": headers}).encode()
                writer.write(
                    (
                        "HTTP/1.1 101 Switching Protocols\r\n"
                        "Upgrade: websocket\r\n"
                        "Connection: Upgrade\r\n"
                        f"Sec-WebSocket-Accept: {accept}\r\n"
                        "\r\n"
                    ).encode()
                    + frame(0x1, description)
                    + frame(0x8, struct.pack("!H", 1000))
                )
            await writer.drain()
            await drain_until_eof(reader, 10)
            writer.close()
        except (ConnectionError, ssl.SSLError):
            writer.close()

    return handle


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("location")
    args = parser.parse_args()

    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])

    server = None

    def own_port() -> int:
        return server.sockets[0].getsockname()[1]

    server = await asyncio.start_server(
        make_handler(lambda: args.location.replace("{port}", str(own_port()))), _common.HOST, 0, ssl=context
    )
    async with server:
        _common.announce_port(own_port())
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

#!/usr/bin/env python3
"""Misbehaving peer on plain asyncio sockets: reads the request head, then answers per MODE.

usage: raw_http.py [--tls CERT KEY] MODE [PORT]

MODE
  bad-accept     101 Switching Protocols with a well-formed but wrong Sec-WebSocket-Accept
  403            HTTP/1.1 403 Forbidden with the HTML body <h1>Forbidden</h1>
  redirect PORT  302 Found with Location: ws://127.0.0.1:PORT/ (wss:// with --tls; "self" for
                 this peer's own port, a redirect loop)
  drop           a correct 101, then (after reading what the client sends for 0.3 s) the TCP
                 connection is closed without a close frame
  masked         a correct 101, then a masked text frame (clients must reject masked frames);
                 a close frame from the client is answered with a close frame
  silent         accepts the TCP connection and never answers the handshake
  http-400       answers the first bytes it reads, whatever they are (a TLS ClientHello),
                 with HTTP/1.1 400 Bad Request, as plain HTTP servers do
  linger         a correct 101; the client's first message is answered with a close frame
                 (1000), and after the client's close frame the TCP connection is held open
                 (RFC 6455 7.1.1 has the server close it; this one leaves it to the client)
  describe       a correct 101 whatever Sec-WebSocket-Version asks for (python-websockets
                 answers only 13), then one text message describing the request as
                 request_info.py does ({"path": ..., "headers": [[name, value], ...]}), then a
                 close frame with 1000
Every connection is held until the client closes it (at most 30 s). With --tls it serves
TLS with that certificate and key, its 403 and redirect answers have no Content-Length (the
body ends with the connection), and it ends each connection right after its answer without a
close_notify (a bare TCP FIN), as many servers do: the client reads to the end of the stream.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import os
import ssl
import struct

import _common

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
HOLD_SECONDS = 30


def accept_value(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def request_key(head: bytes) -> str:
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            return value.strip()
    return ""


def switching_protocols(accept: str) -> bytes:
    return (
        "HTTP/1.1 101 Switching Protocols\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept}\r\n"
        "\r\n"
    ).encode()


def masked_text_frame(text: str) -> bytes:
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


async def read_frame(reader) -> tuple[int, bytes]:
    """Reads one frame (the client's are masked); returns (opcode, unmasked payload)."""
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    mask = await reader.readexactly(4) if second & 0x80 else b"\0\0\0\0"
    payload = await reader.readexactly(length)
    return first & 0x0F, bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))


async def drain_until_eof(reader, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(65536):
                pass
    except (TimeoutError, ConnectionError):
        pass


async def finish(writer, reader, hold: float = HOLD_SECONDS) -> None:
    """Sends FIN, waits for the client's, then closes (so the client sees no reset). Over TLS,
    the socket is closed without a close_notify once the answer has left."""
    if writer.get_extra_info("sslcontext") is not None:
        try:
            await writer.drain()
            await asyncio.sleep(0.1)
            raw = writer.get_extra_info("socket")
            raw.shutdown(2)  # FIN on the TCP socket itself, no TLS alert
        except (ConnectionError, OSError):
            pass
        writer.transport.abort()
        return
    try:
        await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except ConnectionError:
        pass
    await drain_until_eof(reader, hold)
    writer.close()


def make_handler(args, own_port):
    async def handle(reader, writer) -> None:
        try:
            if args.mode == "http-400":
                await reader.read(1)
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await finish(writer, reader)
                return
            if args.mode == "silent":
                await drain_until_eof(reader, HOLD_SECONDS)
                writer.close()
                return
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                writer.close()
                return
            key = request_key(head)

            if args.mode == "bad-accept":
                writer.write(switching_protocols(accept_value(key + "wrong")))
                await finish(writer, reader)
            elif args.mode == "403":
                body = b"<h1>Forbidden</h1>"
                writer.write(
                    b"HTTP/1.1 403 Forbidden\r\n"
                    b"Content-Type: text/html\r\n"
                    + (b"" if args.tls else b"Content-Length: " + str(len(body)).encode() + b"\r\n") +
                    b"Connection: close\r\n"
                    b"\r\n" + body
                )
                await finish(writer, reader)
            elif args.mode == "redirect":
                port = own_port() if args.port == "self" else int(args.port)
                writer.write(
                    b"HTTP/1.1 302 Found\r\n"
                    b"Location: " + (b"wss" if args.tls else b"ws") + b"://127.0.0.1:" + str(port).encode() + b"/\r\n"
                    + (b"" if args.tls else b"Content-Length: 0\r\n") +
                    b"\r\n"
                )
                await finish(writer, reader)
            elif args.mode == "drop":
                writer.write(switching_protocols(accept_value(key)))
                await writer.drain()
                await drain_until_eof(reader, 0.3)
                await finish(writer, reader)
            elif args.mode == "describe":
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else ""
                headers = [[name.strip(), value.strip()] for name, _, value in
                           (line.partition(":") for line in lines[1:] if line)]
                payload = json.dumps({"path": path, "headers": headers}).encode()
                length = bytes([126]) + struct.pack("!H", len(payload)) if len(payload) > 125 else bytes([len(payload)])
                writer.write(switching_protocols(accept_value(key)) + bytes([0x81]) + length + payload
                             + bytes([0x88, 2]) + struct.pack("!H", 1000))
                await writer.drain()
                try:
                    async with asyncio.timeout(HOLD_SECONDS):
                        while (await read_frame(reader))[0] != 0x8:
                            pass
                except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                    pass
                await finish(writer, reader)
            elif args.mode == "linger":
                writer.write(switching_protocols(accept_value(key)))
                await writer.drain()
                try:
                    async with asyncio.timeout(HOLD_SECONDS):
                        while (await read_frame(reader))[0] != 0x1:
                            pass
                        writer.write(bytes([0x88, 2]) + struct.pack("!H", 1000))
                        await writer.drain()
                        while (await read_frame(reader))[0] != 0x8:
                            pass
                except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                    pass
                await drain_until_eof(reader, HOLD_SECONDS)
                writer.close()
            elif args.mode == "masked":
                writer.write(switching_protocols(accept_value(key)) + masked_text_frame("hi"))
                await writer.drain()
                try:
                    async with asyncio.timeout(HOLD_SECONDS):
                        while True:
                            opcode, payload = await read_frame(reader)
                            if opcode == 0x8:
                                writer.write(bytes([0x88, len(payload[:125])]) + payload[:125])
                                break
                except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                    pass
                await finish(writer, reader)
        except ConnectionError:
            writer.close()

    return handle


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", choices=["bad-accept", "403", "redirect", "drop", "masked", "silent", "http-400", "describe", "linger"]
    )
    parser.add_argument("port", nargs="?", metavar="PORT")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    if (args.mode == "redirect") != (args.port is not None):
        parser.error("PORT is required with redirect and only with redirect")
    if args.port not in (None, "self") and not args.port.isdigit():
        parser.error("PORT must be a number or 'self'")

    server = None

    def own_port() -> int:
        return server.sockets[0].getsockname()[1]

    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
    server = await asyncio.start_server(make_handler(args, own_port), _common.HOST, 0, ssl=context)
    async with server:
        _common.announce_port(own_port())
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

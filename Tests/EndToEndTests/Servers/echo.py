#!/usr/bin/env python3
"""Echo peer: sends every text message back as text and every binary message back as binary.

usage: echo.py [--tls CERT KEY [--client-ca CA]] [--subprotocol NAME]

With --tls it serves wss:// with that certificate chain and key; with --client-ca as well, it
requires a client certificate issued by that CA (TLS 1.3: a refusal is an alert sent after the
client's handshake is done). With --subprotocol it
accepts only clients that offer NAME (others get an HTTP 400) and selects it.

Echoes go out in order, frame by frame, as each frame is parsed, so every message received
before the client's close frame is echoed before the close reply. (python-websockets' own
handler loop would lose them: it answers a close frame as soon as it is parsed, before the
handler sees the messages that preceded it, and a client that sends its last lines and its
close together would get no echo for them.)
"""

import argparse
import ssl

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol

import _common

DATA_OPCODES = (Opcode.TEXT, Opcode.BINARY, Opcode.CONT)


class EchoingProtocol(ServerProtocol):
    """Echoes each data frame (same opcode and FIN bit) as soon as it is parsed."""

    def recv_frame(self, frame: Frame) -> None:
        was_open = self.state is State.OPEN
        super().recv_frame(frame)  # validates fragment order first
        if was_open and frame.opcode in DATA_OPCODES:
            self.send_frame(Frame(frame.opcode, frame.data, fin=frame.fin))


class EchoingConnection(ServerConnection):
    def __init__(self, protocol, *args, **kwargs):
        # serve() builds a plain ServerProtocol; EchoingProtocol only overrides a method.
        protocol.__class__ = EchoingProtocol
        super().__init__(protocol, *args, **kwargs)


async def drain(websocket) -> None:
    """The echo already happened in the protocol; read messages so flow control never stalls."""
    try:
        async for _ in websocket:
            pass
    except ConnectionClosed:
        pass


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--client-ca", metavar="CA")
    parser.add_argument("--subprotocol", metavar="NAME")
    args = parser.parse_args()
    if args.client_ca and not args.tls:
        parser.error("--client-ca needs --tls")

    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        if args.client_ca:
            context.minimum_version = ssl.TLSVersion.TLSv1_3
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
    subprotocols = [args.subprotocol] if args.subprotocol else None

    async with serve(
        drain, _common.HOST, 0, ssl=context, subprotocols=subprotocols, max_size=None,
        create_connection=EchoingConnection,
    ) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

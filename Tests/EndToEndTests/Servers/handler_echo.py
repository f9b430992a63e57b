#!/usr/bin/env python3
"""Handler echo peer: python-websockets' own echo example, `async for m in ws: await ws.send(m)`.

usage: handler_echo.py [--delay SECONDS] [--no-pong] [--report PATH]

Unlike echo.py, the echoes come from the handler, after the protocol layer has already answered
what it parsed: a ping's pong, and a close frame's reply, go out before the handler has echoed
the messages that came in the same read, and echoes not sent by then are lost. This is the
server that a client closing right after its last message cuts short. --delay makes the handler
wait that long before each echo (a slow application). --no-pong leaves pings unanswered (a
server that breaks RFC 6455 5.5.2). --report writes `echoed=N` and `close=CODE` when the client
leaves.
"""

import argparse
import asyncio

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode
from websockets.server import ServerProtocol

import _common


class SilentProtocol(ServerProtocol):
    """Parses pings but never answers them: every pong frame is dropped on its way out."""

    def send_frame(self, frame: Frame) -> None:
        if frame.opcode is not Opcode.PONG:
            super().send_frame(frame)


class SilentConnection(ServerConnection):
    def __init__(self, protocol, *args, **kwargs):
        protocol.__class__ = SilentProtocol
        super().__init__(protocol, *args, **kwargs)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--no-pong", action="store_true")
    parser.add_argument("--report")
    args = parser.parse_args()

    async def handler(websocket) -> None:
        echoed = 0
        try:
            async for message in websocket:
                if args.delay:
                    await asyncio.sleep(args.delay)
                await websocket.send(message)
                echoed += 1
        except ConnectionClosed:
            pass
        if args.report:
            code = websocket.close_code
            _common.write_report(args.report, [f"echoed={echoed}", f"close={code}"])

    extra = {"create_connection": SilentConnection} if args.no_pong else {}
    async with serve(handler, _common.HOST, 0, max_size=None, **extra) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

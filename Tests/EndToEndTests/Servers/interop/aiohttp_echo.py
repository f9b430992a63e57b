#!/usr/bin/env python3
"""Echo server on aiohttp's WebSocketResponse, configured as people deploy it.

usage: aiohttp_echo.py MAX_MESSAGE_BYTES

permessage-deflate is on (compress=True), aiohttp's heartbeat pings every second and drops a
client that does not answer, and a message over MAX_MESSAGE_BYTES (max_msg_size) is closed with
1009. Text comes back as text, binary as binary. Binds 127.0.0.1 on a free port and prints it as
the first stdout line; stops at end of file on stdin when the test harness asks (see
../_common.py).
"""

import os
import sys

from aiohttp import WSMsgType, web

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402


def make_handler(max_message_size: int):
    async def echo(request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=1.0, compress=True, max_msg_size=max_message_size)
        await websocket.prepare(request)
        async for message in websocket:
            if message.type == WSMsgType.TEXT:
                await websocket.send_str(message.data)
            elif message.type == WSMsgType.BINARY:
                await websocket.send_bytes(message.data)
        return websocket

    return echo


async def main() -> None:
    application = web.Application()
    application.router.add_get("/", make_handler(int(sys.argv[1])))
    runner = web.AppRunner(application, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, _common.HOST, 0)
    await site.start()
    _common.announce_port(site._server.sockets[0].getsockname()[1])
    try:
        await _common.serve_until_stopped()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    _common.run(main)

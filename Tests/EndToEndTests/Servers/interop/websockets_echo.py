#!/usr/bin/env python3
"""Echo server on python-websockets as its documentation writes one: the handler's own loop,
`async for message in websocket: await websocket.send(message)` (unlike ../echo.py, which
echoes inside the protocol), with permessage-deflate on (the default) and a message size limit.

usage: websockets_echo.py MAX_MESSAGE_BYTES

A message over MAX_MESSAGE_BYTES (max_size) is closed with 1009. The interop tests put nginx in
front of it. Binds 127.0.0.1 on a free port and prints it as the first stdout line; stops at end
of file on stdin when the test harness asks (see ../_common.py).
"""

import os
import sys

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402


async def echo(websocket) -> None:
    try:
        async for message in websocket:
            await websocket.send(message)
    except ConnectionClosed:
        pass


async def main() -> None:
    async with serve(echo, _common.HOST, 0, max_size=int(sys.argv[1])) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

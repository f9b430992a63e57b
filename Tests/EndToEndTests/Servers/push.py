#!/usr/bin/env python3
"""Push peer: echoes every message, and sends the text `pushed` on its own 1 s after the
client connects (with --every SECONDS: `pushed 1`, `pushed 2`, ... at that interval). With
--ping DATA each push is preceded by a ping carrying DATA (the client's automatic pong).

usage: push.py [--delay SECONDS] [--every SECONDS] [--text TEXT] [--ping DATA]

For the interactive session's tests: a message that arrives while a line is half typed.
"""

import argparse
import asyncio

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--every", type=float)
    parser.add_argument("--text", default="pushed")
    parser.add_argument("--ping")
    args = parser.parse_args()

    async def push(websocket) -> None:
        await asyncio.sleep(args.delay)
        count = 0
        while True:
            count += 1
            if args.ping is not None:
                await websocket.ping(args.ping.encode())
            await websocket.send(args.text if args.every is None else f"{args.text} {count}")
            if args.every is None:
                return
            await asyncio.sleep(args.every)

    async def handler(websocket) -> None:
        pusher = asyncio.create_task(push(websocket))
        try:
            async for message in websocket:
                await websocket.send(message)
        except ConnectionClosed:
            pass
        finally:
            pusher.cancel()

    async with serve(handler, _common.HOST, 0, max_size=None) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

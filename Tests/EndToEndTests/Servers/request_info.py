#!/usr/bin/env python3
"""Request-describing peer: on connect sends one text message describing the client's opening
handshake, then closes with 1000.

usage: request_info.py

The message is JSON: {"path": "/resource?query", "headers": [["Name", "value"], ...]} with
the request headers in the order received. No subprotocol is ever selected.
"""

import argparse
import json

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common


async def describe(websocket) -> None:
    request = websocket.request
    headers = [list(item) for item in request.headers.raw_items()]
    description = {"path": request.path, "headers": headers}
    try:
        await websocket.send(json.dumps(description))
        await websocket.close(1000)
    except ConnectionClosed:
        pass


async def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()

    async with serve(describe, _common.HOST, 0) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

#!/usr/bin/env python3
"""A python-websockets server on a Unix domain socket (unix_serve), for ws+unix: and --unix-socket.

usage: unix_server.py PATH [--tls CERT KEY]

On every connection it first sends one text message describing the request,
{"transport": "unix", "path": "/resource", "headers": [["Name", "value"], ...]}, then echoes
every message. The same handler also serves TCP on 127.0.0.1 (the port announced, as every
peer does; there "transport" is "tcp"), so a test can tell which way a connection came.
With --tls both speak TLS with that certificate and key.
"""

import argparse
import json
import os
import ssl

from websockets.asyncio.server import serve, unix_serve
from websockets.exceptions import ConnectionClosed

import _common


def make_handler(transport: str):
    async def handler(websocket) -> None:
        request = websocket.request
        description = {"transport": transport, "path": request.path,
                       "headers": [list(item) for item in request.headers.raw_items()]}
        try:
            await websocket.send(json.dumps(description))
            async for message in websocket:
                await websocket.send(message)
        except ConnectionClosed:
            pass

    return handler


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])

    try:
        async with unix_serve(make_handler("unix"), args.path, ssl=context), \
                serve(make_handler("tcp"), _common.HOST, 0, ssl=context) as tcp:
            _common.announce_port(tcp.sockets[0].getsockname()[1])
            await _common.serve_until_stopped()
    finally:
        if os.path.exists(args.path):
            os.unlink(args.path)


if __name__ == "__main__":
    _common.run(main)

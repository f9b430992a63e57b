#!/usr/bin/env python3
"""Sending peer: on connect sends N messages "msg 1" ... "msg N", then closes.

usage: sendn.py N [--binary] [--size BYTES] [--close-code C|none] [--reason R]
                  [--no-close] [--report FILE]

--binary      send binary messages (the UTF-8 bytes of "msg K") instead of text
--size BYTES  pad each message with "." to exactly BYTES bytes (at least len("msg K"))
--close-code  close with code C (default 1000); "none" sends a close frame without a code
--reason      close reason (needs a code)
--no-close    after sending, do not close: wait for the client to close
--report FILE when the connection ends, replace FILE with "close=CODE", the code the client
              sent (1006 if none)
Incoming messages are read and ignored.
"""

import argparse
import asyncio

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common


def close_code(text: str) -> int | None:
    return None if text == "none" else int(text)


def make_message(index: int, args) -> str | bytes:
    text = f"msg {index}"
    if args.size is not None:
        if args.size < len(text):
            raise SystemExit(f"--size {args.size} is shorter than {text!r}")
        text += "." * (args.size - len(text))
    return text.encode() if args.binary else text


def make_handler(args):
    async def send_n(websocket) -> None:
        try:
            for index in range(1, args.count + 1):
                await websocket.send(make_message(index, args))
            if args.no_close:
                async for _ in websocket:
                    pass
            else:
                await websocket.close(args.close_code, args.reason)
        except ConnectionClosed:
            pass
        finally:
            if args.report:
                try:
                    await asyncio.wait_for(websocket.wait_closed(), 10)
                except TimeoutError:
                    pass
                _common.write_report(args.report, [f"close={websocket.close_code}"])

    return send_n


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, metavar="N")
    parser.add_argument("--binary", action="store_true")
    parser.add_argument("--size", type=int, metavar="BYTES")
    parser.add_argument("--close-code", type=close_code, default=1000, metavar="C")
    parser.add_argument("--reason", default="", metavar="R")
    parser.add_argument("--no-close", action="store_true")
    parser.add_argument("--report", metavar="FILE")
    args = parser.parse_args()
    if args.close_code is None and args.reason:
        parser.error("--reason needs a close code")

    async with serve(make_handler(args), _common.HOST, 0) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

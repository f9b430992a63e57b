#!/usr/bin/env python3
"""Counting peer: receives messages, replies to none, and reports when the connection ends.

usage: count.py --report FILE [--expect-sequence]

When a connection ends (normally the client's close), FILE is replaced with:
    count=N                  (with --expect-sequence: count=N inorder=true|false)
    close=CODE               (the close code the client sent; 1006 if it sent none)
and, when the sequence check failed, a third line first_error=... describing the first
message that was not the next integer. With --expect-sequence, message k must be the text
str(k): the messages must be exactly 1, 2, 3, ... N in order.
"""

import argparse
import asyncio

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common


def make_handler(args):
    async def count(websocket) -> None:
        received = 0
        in_order = True
        first_error = None
        try:
            async for message in websocket:
                received += 1
                if args.expect_sequence and in_order and message != str(received):
                    in_order = False
                    first_error = f"message {received} was {message[:40]!r}"
        except ConnectionClosed:
            pass
        finally:
            try:
                await asyncio.wait_for(websocket.wait_closed(), 10)
            except TimeoutError:
                pass
            summary = f"count={received}"
            if args.expect_sequence:
                summary += f" inorder={'true' if in_order else 'false'}"
            lines = [summary, f"close={websocket.close_code}"]
            if first_error is not None:
                lines.append(f"first_error={first_error}")
            _common.write_report(args.report, lines)

    return count


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", required=True, metavar="FILE")
    parser.add_argument("--expect-sequence", action="store_true")
    args = parser.parse_args()

    async with serve(make_handler(args), _common.HOST, 0, max_size=None) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

#!/usr/bin/env python3
"""Flooding peer: on connect sends text messages as fast as the client takes them, without end.

usage: flood.py [--size BYTES] [--count N] [--pings] [--report FILE]

--size BYTES  bytes per message (default 65536), "flood 1 ....." padded with "."
--count N     stop after N messages and wait for the client to close (default: no end)
--pings       send a ping after every message (a flood of pings for a client that shows them)
--report FILE when the connection ends, replace FILE with "close=CODE sent=BYTES": the code of
              the client's close frame (1006 if none) and the payload bytes the send calls took
Incoming messages are read and ignored; permessage-deflate is declined. A client that stops reading makes the sends wait
(TCP back-pressure), which is what the tests look for.
"""

import argparse
import asyncio

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common


def make_handler(args):
    async def discard(websocket) -> None:
        try:
            async for _ in websocket:
                pass
        except ConnectionClosed:
            pass

    async def flood(websocket) -> None:
        sent = 0
        index = 0
        # Incoming messages are read (and dropped) all along: unread, they would stop
        # python-websockets from reading the client's close frame.
        reader = asyncio.create_task(discard(websocket))
        try:
            while args.count is None or index < args.count:
                index += 1
                text = f"flood {index} "
                await websocket.send(text + "." * max(0, args.size - len(text)))
                sent += max(args.size, len(text))
                if args.pings:
                    # Not awaited: the pong is read by the connection, nobody waits for it.
                    await websocket.ping()
                # send() does not yield while the transport takes everything: without this a
                # fast client would starve the reading side, and its close frame go unseen.
                await asyncio.sleep(0)
            await websocket.wait_closed()
        except ConnectionClosed:
            pass
        finally:
            reader.cancel()
            if args.report:
                try:
                    await asyncio.wait_for(websocket.wait_closed(), 10)
                except TimeoutError:
                    pass
                _common.write_report(args.report, [f"close={websocket.close_code} sent={sent}"])

    return flood


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=65536, metavar="BYTES")
    parser.add_argument("--count", type=int, metavar="N")
    parser.add_argument("--pings", action="store_true")
    parser.add_argument("--report", metavar="FILE")
    args = parser.parse_args()
    # No permessage-deflate: "sent" then counts what crossed the socket (the padding would
    # compress a thousandfold, and the backlog in the socket buffers be gigabytes once inflated).
    async with serve(make_handler(args), _common.HOST, 0, max_size=None, compression=None) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

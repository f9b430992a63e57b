#!/usr/bin/env python3
"""A scripted Engine.IO v4 / Socket.IO v5 peer on python-websockets, for what a real server
will not do on cue.

usage: socketio_fake.py silent|pinging [--report FILE]

silent   sends the open packet (pingInterval 300 ms, pingTimeout 200 ms), answers CONNECT for
         any namespace, then never pings: a dead server as far as Engine.IO can tell.
pinging  sends the open packet (pingInterval 100 ms, pingTimeout 2000 ms), answers CONNECT,
         pings three times 100 ms apart, each only after the pong to the previous one, then
         emits ["pongs", 3], then goes on pinging every 100 ms.

--report FILE: after every connection, writes "connections=N connects=N" (CONNECT packets seen).
"""

import argparse
import asyncio
import json

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["silent", "pinging"])
    parser.add_argument("--report")
    args = parser.parse_args()
    stats = {"connections": 0, "connects": 0}

    def report() -> None:
        if args.report:
            _common.write_report(args.report, [f"connections={stats['connections']} connects={stats['connects']}"])

    async def handler(websocket) -> None:
        stats["connections"] += 1
        interval, timeout = (300, 200) if args.mode == "silent" else (100, 2000)
        opening = {"sid": f"fake{stats['connections']}", "upgrades": [], "pingInterval": interval,
                   "pingTimeout": timeout, "maxPayload": 1000000}
        try:
            await websocket.send("0" + json.dumps(opening, separators=(",", ":")))
            message = await websocket.recv()
            if not message.startswith("40"):
                await websocket.close(1002, "expected CONNECT")
                return
            stats["connects"] += 1
            report()
            namespace = message[2:].split(",", 1)[0] + "," if message[2:3] == "/" else ""
            await websocket.send("40" + namespace + '{"sid":"socket1"}')
            if args.mode == "pinging":
                for _ in range(3):
                    await asyncio.sleep(0.1)
                    await websocket.send("2")
                    while (await websocket.recv()) != "3":
                        pass
                await websocket.send("42" + namespace + '["pongs",3]')
                while True:  # keep the client alive past pingInterval + pingTimeout
                    await asyncio.sleep(0.1)
                    await websocket.send("2")
                    while (await websocket.recv()) != "3":
                        pass
            async for _ in websocket:
                pass
        except ConnectionClosed:
            pass
        finally:
            report()

    async with serve(handler, _common.HOST, 0) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

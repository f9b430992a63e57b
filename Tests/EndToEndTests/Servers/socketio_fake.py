#!/usr/bin/env python3
"""A scripted Engine.IO v4 / Socket.IO v5 peer on python-websockets, for what a real server
will not do on cue.

usage: socketio_fake.py silent|pinging|drop|hostile [--report FILE]

silent   sends the open packet (pingInterval 300 ms, pingTimeout 200 ms), answers CONNECT for
         any namespace, then never pings: a dead server as far as Engine.IO can tell.
pinging  sends the open packet (pingInterval 100 ms, pingTimeout 2000 ms), answers CONNECT,
         pings three times 100 ms apart, each only after the pong to the previous one, then
         emits ["pongs", 3], then goes on pinging every 100 ms.

drop     like a real server (pingInterval 25 s), but closes the first connection (1012) as
         soon as one event arrived on it; later connections stay up, and answer CONNECT
         only after 0.5 s (packets that arrive before the answer are reported with a "!").

hostile  terminal escape sequences in everything wsc prints on stderr: the Engine.IO sid, the
         namespace sid (then closes with 1000 and an escape-laden reason), and for the
         namespace /refuse a CONNECT_ERROR whose message carries them.

--report FILE: after every connection, writes "connections=N connects=N" (CONNECT packets
seen), then one line per connection with every packet received on it, space-separated.
"""

import argparse
import asyncio
import json

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

import _common

# OSC 52 (set the clipboard), OSC 0 (window title), CSI 2J (clear the screen), a bare CR.
HOSTILE = "\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x1b[2J\r"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["silent", "pinging", "drop", "hostile"])
    parser.add_argument("--report")
    args = parser.parse_args()
    stats = {"connections": 0, "connects": 0}
    received = []  # per connection: the packets, in order

    def report() -> None:
        if args.report:
            _common.write_report(args.report, [f"connections={stats['connections']} connects={stats['connects']}"]
                                 + [" ".join(packets) for packets in received])

    async def handler(websocket) -> None:
        stats["connections"] += 1
        number = stats["connections"]
        packets = []
        received.append(packets)
        interval, timeout = {"silent": (300, 200), "pinging": (100, 2000), "drop": (25000, 20000),
                             "hostile": (25000, 20000)}[args.mode]
        sid = HOSTILE + "eio" if args.mode == "hostile" else f"fake{stats['connections']}"
        opening = {"sid": sid, "upgrades": [], "pingInterval": interval,
                   "pingTimeout": timeout, "maxPayload": 1000000}
        try:
            await websocket.send("0" + json.dumps(opening, separators=(",", ":")))
            message = await websocket.recv()
            packets.append(message)
            if not message.startswith("40"):
                await websocket.close(1002, "expected CONNECT")
                return
            stats["connects"] += 1
            report()
            namespace = message[2:].split(",", 1)[0] + "," if message[2:3] == "/" else ""
            if args.mode == "drop" and number > 1:
                # Input keeps coming while the namespace is not joined; a client must hold it
                # (a real server drops such packets). Anything that arrives now is marked "!".
                loop = asyncio.get_running_loop()
                until = loop.time() + 0.5
                while (remaining := until - loop.time()) > 0:
                    try:
                        packets.append("!" + await asyncio.wait_for(websocket.recv(), remaining))
                    except asyncio.TimeoutError:
                        break
            if args.mode == "hostile":
                if namespace == "/refuse,":
                    await websocket.send("44" + namespace + json.dumps({"message": HOSTILE + "refused"}))
                else:
                    await websocket.send("40" + namespace + json.dumps({"sid": HOSTILE + "ns"}))
                    await asyncio.sleep(0.2)
                    await websocket.close(1000, HOSTILE + "bye")
                async for message in websocket:
                    packets.append(message)
                return
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
            async for message in websocket:
                packets.append(message)
                report()
                if args.mode == "drop" and number == 1 and message.startswith("42"):
                    await websocket.close(1012, "restarting")
        except ConnectionClosed:
            pass
        finally:
            report()

    async with serve(handler, _common.HOST, 0) as server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

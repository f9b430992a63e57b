#!/usr/bin/env python3
"""A real SOCKS5 proxy (pproxy from PyPI), for the --proxy socks5:// tests.

usage: socks_proxy.py [--auth USER:PASS] [--report FILE]

Serves SOCKS5 on 127.0.0.1 (port announced), connecting wherever clients ask. With --auth it
requires that username and password (RFC 1929); pproxy hangs up on wrong ones. With --report,
every CONNECT's target is appended to FILE as "host:port", one per line (to tell socks5:// from
socks5h://: the target is an address or a name).
"""

import argparse
import asyncio

import pproxy

import _common


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auth", metavar="USER:PASS")
    parser.add_argument("--report", metavar="FILE")
    args = parser.parse_args()

    uri = f"socks5://{_common.HOST}:0" + (f"#{args.auth}" if args.auth else "")
    option = pproxy.Server(uri)

    def verbose(text: str) -> None:
        # pproxy logs "socks5 127.0.0.1:PORT -> host:port" for every tunnel it opens.
        if args.report and " -> " in text:
            with open(args.report, "a", encoding="utf-8") as report:
                report.write(text.split(" -> ", 1)[1].strip() + "\n")

    server = await option.start_server({"rserver": [], "verbose": verbose, "authtime": 0})
    async with server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

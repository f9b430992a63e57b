#!/usr/bin/env python3
"""A scripted SOCKS5 proxy that fails on cue, for the error of each failure.

usage: socks_fault.py MODE

MODE
  reply N       accepts "no authentication", reads the CONNECT request, answers reply code N
                (1 to 8, RFC 1928 section 6) and closes
  no-method     answers the greeting with 0xFF: no acceptable method
  auth-refused  chooses username/password, reads them, answers status 1 (RFC 1929) and closes
  silent        accepts the TCP connection and never answers
"""

import argparse
import asyncio

import _common


def make_handler(args):
    async def handle(reader, writer) -> None:
        try:
            if args.mode == "silent":
                await asyncio.sleep(30)
                return
            version, count = await reader.readexactly(2)
            methods = await reader.readexactly(count)
            if args.mode == "no-method":
                writer.write(b"\x05\xff")
            elif args.mode == "auth-refused":
                if 2 not in methods:
                    writer.write(b"\x05\xff")
                else:
                    writer.write(b"\x05\x02")
                    await reader.readexactly(1)
                    user = await reader.readexactly((await reader.readexactly(1))[0])
                    password = await reader.readexactly((await reader.readexactly(1))[0])
                    writer.write(b"\x01\x01")
            else:
                writer.write(b"\x05\x00")
                header = await reader.readexactly(4)
                kind = header[3]
                length = 4 if kind == 1 else 16 if kind == 4 else (await reader.readexactly(1))[0]
                await reader.readexactly(length + 2)
                writer.write(bytes([5, args.code, 0, 1, 0, 0, 0, 0, 0, 0]))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return handle


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["reply", "no-method", "auth-refused", "silent"])
    parser.add_argument("code", nargs="?", type=int)
    args = parser.parse_args()
    if (args.mode == "reply") != (args.code is not None):
        parser.error("N is required with reply and only with reply")

    server = await asyncio.start_server(make_handler(args), _common.HOST, 0)
    async with server:
        _common.announce_port(server.sockets[0].getsockname()[1])
        await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

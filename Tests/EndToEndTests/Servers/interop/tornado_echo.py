#!/usr/bin/env python3
"""Echo server on tornado's WebSocketHandler, configured as people deploy it.

usage: tornado_echo.py MAX_MESSAGE_BYTES

permessage-deflate is on (get_compression_options), tornado pings every second
(websocket_ping_interval) and closes with 1009 a message over MAX_MESSAGE_BYTES
(websocket_max_message_size). Text comes back as text, binary as binary. Binds 127.0.0.1 on a
free port and prints it as the first stdout line; stops at end of file on stdin when the test
harness asks (see ../_common.py).
"""

import os
import sys

import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402


class EchoHandler(tornado.websocket.WebSocketHandler):
    def get_compression_options(self):
        return {}  # permessage-deflate with tornado's defaults

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


async def main() -> None:
    max_message_size = int(sys.argv[1])
    application = tornado.web.Application(
        [(r"/", EchoHandler)],
        websocket_ping_interval=1,
        websocket_max_message_size=max_message_size,
    )
    sockets = tornado.netutil.bind_sockets(0, _common.HOST)
    server = tornado.httpserver.HTTPServer(application)
    server.add_sockets(sockets)
    _common.announce_port(sockets[0].getsockname()[1])
    await _common.serve_until_stopped()


if __name__ == "__main__":
    _common.run(main)

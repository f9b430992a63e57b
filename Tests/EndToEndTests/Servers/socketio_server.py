#!/usr/bin/env python3
"""A real python-socketio server (aiohttp) for the --socketio tests.

usage: socketio_server.py [--path PATH] [--ping-interval S] [--ping-timeout S]
                          [--transports websocket|polling|both] [--refuse-websocket]

--transports: what the server allows (default websocket); both is python-socketio's default
(polling first, upgrade to WebSocket offered). --refuse-websocket: with both, every WebSocket
request is answered 403 although the upgrade is offered (a proxy that strips Upgrade).
--sticky-cookie: like a load balancer with sticky sessions, the handshake answer sets the cookie
lb=node1 and every later request of the session (polling or the WebSocket upgrade) without it
is answered 400.

Default namespace "/":
  chat ARGS...   emits "chat" back to the sender with the same arguments
  message ARG    emits "message" back with the same argument
  ask ARGS...    answers the ack with ("answer", ARGS...)
  bye            the server disconnects the client (Socket.IO DISCONNECT)
  count N        emits "n" N times with 1..N, then "done"
  callme ARG     calls the client: emits "question" {"q": ARG} asking for an ack (sio.call, 2 s
                 timeout), then emits "answered" [the answer's arguments] (or "unanswered")
  sendbin        emits "bin" with the bytes 00 01 02 ff and {"n": 1} (a BINARY_EVENT)
  drop           on the first connection that sends it: the Engine.IO session vanishes without a
                 word (its pending poll answered empty, then "Invalid session"), as when a server
                 restarts; later connections ignore it
  echobin ARGS   emits "gotbin" describing each argument: ["bytes", hex] or ["json", value];
                 answers an ack with the same arguments (bytes stay bytes: a BINARY_ACK)

Namespace "/admin": CONNECT needs auth {"token": "secret"}, else CONNECT_ERROR "not authorized";
  whoami         emits "you" with {"namespace": "/admin", "token": ...}
"""

import argparse
import asyncio
import sys

import socketio
from aiohttp import web

import _common


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="socket.io")
    parser.add_argument("--ping-interval", type=float, default=25)
    parser.add_argument("--ping-timeout", type=float, default=20)
    parser.add_argument("--transports", choices=["websocket", "polling", "both"], default="websocket")
    parser.add_argument("--refuse-websocket", action="store_true")
    parser.add_argument("--sticky-cookie", action="store_true")
    args = parser.parse_args()
    transports = {"websocket": ["websocket"], "polling": ["polling"], "both": ["polling", "websocket"]}[args.transports]

    # async_handlers=False: events are handled (and answered) in the order they arrive.
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=args.ping_interval, async_handlers=False,
                               ping_timeout=args.ping_timeout, transports=transports)

    @web.middleware
    async def refuse_websocket(request, handler):
        if args.refuse_websocket and request.query.get("transport") == "websocket":
            log("refused a websocket request")
            return web.Response(status=403, text="no WebSocket here")
        return await handler(request)

    @web.middleware
    async def sticky_cookie(request, handler):
        if not args.sticky_cookie:
            return await handler(request)
        if "sid" in request.query and request.cookies.get("lb") != "node1":
            log("refused a request without the sticky cookie:", request.method, request.query_string)
            return web.Response(status=400, text="no sticky cookie")
        response = await handler(request)
        if "sid" not in request.query:
            response.set_cookie("lb", "node1", path="/")
        return response

    app = web.Application(middlewares=[refuse_websocket, sticky_cookie])
    sio.attach(app, socketio_path=args.path)

    @sio.event
    async def connect(sid, environ, auth):
        log("connect", sid, environ.get("QUERY_STRING"), auth)

    @sio.event
    async def disconnect(sid, reason=None):
        log("disconnect", sid, reason)

    @sio.on("chat")
    async def chat(sid, *data):
        log("chat", sid, data)
        await sio.emit("chat", data=data, to=sid)

    @sio.on("message")
    async def message(sid, *data):
        log("message", sid, data)
        await sio.emit("message", data=data, to=sid)

    @sio.on("ask")
    async def ask(sid, *data):
        log("ask", sid, data)
        return ("answer",) + data

    @sio.on("bye")
    async def bye(sid, *data):
        log("bye", sid)
        await sio.disconnect(sid)

    @sio.on("count")
    async def count(sid, n):
        for i in range(1, int(n) + 1):
            await sio.emit("n", i, to=sid)
        await sio.emit("done", to=sid)

    @sio.on("callme")
    async def callme(sid, arg=None):
        log("callme", sid, arg)
        # In the background: events are handled in order (async_handlers=False), so waiting
        # here would hold back the very ACK that is awaited.
        sio.start_background_task(ask_client, sid, arg)

    async def ask_client(sid, arg):
        answers = []

        # The answer's arguments, however many (sio.call folds them into one value).
        def callback(*args):
            answers.append(list(args))

        await sio.emit("question", {"q": arg}, to=sid, callback=callback)
        for _ in range(200):
            if answers:
                break
            await asyncio.sleep(0.01)
        log("answers", sid, answers)
        if answers:
            await sio.emit("answered", answers[0], to=sid)
        else:
            await sio.emit("unanswered", to=sid)

    @sio.on("sendbin")
    async def sendbin(sid, *data):
        await sio.emit("bin", (b"\x00\x01\x02\xff", {"n": 1}), to=sid)

    @sio.on("echobin")
    async def echobin(sid, *data):
        described = [["bytes", d.hex()] if isinstance(d, bytes) else ["json", d] for d in data]
        log("echobin", sid, described)
        await sio.emit("gotbin", described, to=sid)
        return data

    dropped = []

    @sio.on("drop")
    async def drop(sid, *data):
        if dropped:
            return
        eio_sid = sio.manager.eio_sid_from_sid(sid, "/")
        dropped.append(eio_sid)
        log("drop", sid, eio_sid)
        socket = sio.eio.sockets.pop(eio_sid, None)
        if socket is not None:
            await socket.queue.put(None)

    tokens = {}

    @sio.on("connect", namespace="/admin")
    async def admin_connect(sid, environ, auth):
        log("admin connect", sid, auth)
        if not isinstance(auth, dict) or auth.get("token") != "secret":
            raise socketio.exceptions.ConnectionRefusedError("not authorized")
        tokens[sid] = auth["token"]

    @sio.on("whoami", namespace="/admin")
    async def whoami(sid, *data):
        await sio.emit("you", {"namespace": "/admin", "token": tokens.get(sid)}, to=sid, namespace="/admin")

    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, _common.HOST, 0)
    await site.start()
    _common.announce_port(site._server.sockets[0].getsockname()[1])
    try:
        await _common.serve_until_stopped()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    _common.run(main)

#!/usr/bin/env python3
"""Checks every end-to-end peer against python-websockets' own client (no wsc involved).

usage: selftest.py      (run with the venv's python: .venv/bin/python3)

Run it after changing a peer; it prints one line per check and "N passed, N failed" at the end,
and exits non-zero if a check failed. It needs the openssl command for the TLS checks.
"""

import asyncio
import contextlib
import json
import os
import pathlib
import socket
import ssl
import subprocess
import sys
import tempfile
import time

from websockets.asyncio.client import connect
from websockets.exceptions import (
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidHandshake,
    InvalidStatus,
    SecurityError,
)

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = {"passed": 0, "failed": 0}


@contextlib.contextmanager
def peer(*arguments):
    """Starts a peer, yields its port, and stops it (kill by pid, bounded wait)."""
    environment = dict(os.environ, WSC_TEST_SERVER_WATCH_STDIN="1", PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen(
        [sys.executable, str(HERE / arguments[0]), *arguments[1:]],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment,
    )
    try:
        line = process.stdout.readline()
        yield int(line)
    finally:
        process.kill()
        process.wait(timeout=5)


def check(name, condition, detail=""):
    RESULTS["passed" if condition else "failed"] += 1
    print(("ok     " if condition else "FAILED ") + name + (f": {detail}" if not condition else ""))


async def wait_for_file(path, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return pathlib.Path(path).read_text()
        await asyncio.sleep(0.05)
    return None


def make_cert(directory, name, san):
    cert, key = os.path.join(directory, name + ".pem"), os.path.join(directory, name + ".key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san,
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )
    return cert, key


async def expect_raises(kind, coroutine):
    try:
        await coroutine
    except kind as error:
        return error
    except Exception as error:  # noqa: BLE001 - reported as a failure
        return AssertionError(f"raised {type(error).__name__}: {error}")
    return AssertionError("did not raise")


async def check_echo():
    with peer("echo.py") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            await ws.send("héllo")
            text = await ws.recv()
            await ws.send(b"\x00\xff")
            data = await ws.recv()
        check("echo returns text as text", text == "héllo", repr(text))
        check("echo returns binary as binary", data == b"\x00\xff", repr(data))
        async with connect(f"ws://127.0.0.1:{port}/", max_size=None) as ws:
            await ws.send(["frag", "mented"])
            text = await ws.recv()
            await ws.send("x" * 3_000_000)
            large = await ws.recv()
        check("echo returns a fragmented message whole", text == "fragmented", repr(text))
        check("echo returns a 3 MB message", large == "x" * 3_000_000)
        frames = b"".join(masked_frame(0x1, text.encode()) for text in ("a", "b", "c"))
        received = await asyncio.to_thread(raw_exchange, port, then=frames + masked_frame(0x8, b"\x03\xe8"))
        head, _, reply = received.partition(b"\r\n\r\n")
        check("echo answers messages sent together with the close before the close reply",
              reply == b"\x81\x01a\x81\x01b\x81\x01c\x88\x02\x03\xe8", received)
    with peer("echo.py", "--subprotocol", "chat") as port:
        async with connect(f"ws://127.0.0.1:{port}/", subprotocols=["chat"]) as ws:
            check("echo selects the offered subprotocol", ws.subprotocol == "chat", ws.subprotocol)
        error = await expect_raises(InvalidStatus, connect(f"ws://127.0.0.1:{port}/"))
        check("echo rejects a client without the subprotocol with 400",
              isinstance(error, InvalidStatus) and error.response.status_code == 400, error)


async def check_tls(directory):
    cert, key = make_cert(directory, "localhost", "DNS:localhost,IP:127.0.0.1")
    other_cert, other_key = make_cert(directory, "otherhost", "DNS:otherhost")
    trusting = ssl.create_default_context(cafile=cert)
    with peer("echo.py", "--tls", cert, key) as port:
        async with connect(f"wss://127.0.0.1:{port}/", ssl=trusting) as ws:
            await ws.send("secure")
            check("tls echo works when the certificate is trusted", await ws.recv() == "secure")
        error = await expect_raises(ssl.SSLCertVerificationError, connect(f"wss://127.0.0.1:{port}/"))
        check("tls echo is rejected without the CA", isinstance(error, ssl.SSLCertVerificationError), error)
    with peer("echo.py", "--tls", other_cert, other_key) as port:
        error = await expect_raises(
            ssl.SSLCertVerificationError,
            connect(f"wss://127.0.0.1:{port}/", ssl=ssl.create_default_context(cafile=other_cert)),
        )
        check("a certificate for otherhost fails for 127.0.0.1",
              isinstance(error, ssl.SSLCertVerificationError) and "mismatch" in str(error), error)


async def check_count(directory):
    report = os.path.join(directory, "count.txt")
    with peer("count.py", "--expect-sequence", "--report", report) as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            for number in range(1, 20001):
                await ws.send(str(number))
        text = await wait_for_file(report)
        check("count reports an in-order sequence", text == "count=20000 inorder=true\nclose=1000\n", text)
        os.remove(report)
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            for number in (1, 2, 4):
                await ws.send(str(number))
        text = await wait_for_file(report)
        check("count reports a gap", text is not None and text.startswith("count=3 inorder=false\n")
              and "first_error=message 3 was '4'" in text, text)
    report = os.path.join(directory, "count-plain.txt")
    with peer("count.py", "--report", report) as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            await ws.send("x")
            await ws.close(1001)
        text = await wait_for_file(report)
        check("count without the check reports count and close", text == "count=1\nclose=1001\n", text)


async def receive_all(ws):
    messages = []
    try:
        while True:
            messages.append(await ws.recv())
    except (ConnectionClosedOK, ConnectionClosedError):
        pass
    return messages


async def check_sendn(directory):
    with peer("sendn.py", "3") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            messages = await receive_all(ws)
            code = ws.close_code
        check("sendn sends msg 1..3 then closes with 1000",
              messages == ["msg 1", "msg 2", "msg 3"] and code == 1000, (messages, code))
    with peer("sendn.py", "2", "--binary") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            messages = await receive_all(ws)
        check("sendn --binary sends bytes", messages == [b"msg 1", b"msg 2"], messages)
    with peer("sendn.py", "1", "--close-code", "1011", "--reason", "boom") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            messages = await receive_all(ws)
            code, reason = ws.close_code, ws.close_reason
        check("sendn closes with the given code and reason",
              messages == ["msg 1"] and (code, reason) == (1011, "boom"), (messages, code, reason))
    with peer("sendn.py", "0", "--close-code", "none") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            await receive_all(ws)
            code = ws.close_code
        check("sendn --close-code none sends a close frame without a code", code == 1005, code)
    report = os.path.join(directory, "sendn.txt")
    with peer("sendn.py", "1", "--size", "2097152", "--report", report) as port:
        async with connect(f"ws://127.0.0.1:{port}/", max_size=None) as ws:
            messages = await receive_all(ws)
        check("sendn --size pads to the size",
              len(messages) == 1 and len(messages[0]) == 2097152 and messages[0].startswith("msg 1."))
        text = await wait_for_file(report)
        check("sendn reports the close code the client echoed", text == "close=1000\n", text)
        os.remove(report)
        async with connect(f"ws://127.0.0.1:{port}/", max_size=1048576) as ws:
            await receive_all(ws)
        text = await wait_for_file(report)
        check("sendn reports the client's 1009 close", text == "close=1009\n", text)
    report = os.path.join(directory, "sendn-no-close.txt")
    with peer("sendn.py", "2", "--no-close", "--report", report) as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            first, second = await ws.recv(), await ws.recv()
            error = await expect_raises(TimeoutError, asyncio.wait_for(ws.recv(), 0.5))
            check("sendn --no-close keeps the connection open",
                  (first, second) == ("msg 1", "msg 2") and isinstance(error, TimeoutError), error)
        text = await wait_for_file(report)
        check("sendn --no-close reports the client's close code", text == "close=1000\n", text)


def masked_frame(opcode, payload, mask=b"\x01\x02\x03\x04"):
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def raw_exchange(port, request=None, seconds=3.0, then=None):
    """Sends a handshake request on a plain socket, and 0.2 s later the bytes `then` (in one
    write), if given; returns everything received until EOF."""
    request = request or (
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as connection:
        connection.sendall(request)
        if then is not None:
            time.sleep(0.2)
            connection.sendall(then)
        received = b""
        with contextlib.suppress(socket.timeout):
            while chunk := connection.recv(65536):
                received += chunk
        return received


async def check_raw_http():
    with peer("raw_http.py", "bad-accept") as port:
        error = await expect_raises(InvalidHandshake, connect(f"ws://127.0.0.1:{port}/"))
        check("bad-accept fails the accept check",
              isinstance(error, InvalidHandshake) and "Sec-WebSocket-Accept" in str(error), error)
    with peer("raw_http.py", "403") as port:
        error = await expect_raises(InvalidStatus, connect(f"ws://127.0.0.1:{port}/"))
        check("403 rejects with 403", isinstance(error, InvalidStatus)
              and error.response.status_code == 403, error)
        received = await asyncio.to_thread(raw_exchange, port)
        check("403 sends the status line and the body then closes",
              received.startswith(b"HTTP/1.1 403 Forbidden\r\n") and received.endswith(b"\r\n\r\n<h1>Forbidden</h1>"),
              received)
    with peer("echo.py") as echo_port, peer("raw_http.py", "redirect", str(echo_port)) as port:
        received = await asyncio.to_thread(raw_exchange, port)
        check("redirect sends a 302 with the Location",
              received.startswith(b"HTTP/1.1 302 Found\r\n")
              and f"Location: ws://127.0.0.1:{echo_port}/\r\n".encode() in received, received)
        async with connect(f"ws://127.0.0.1:{port}/") as ws:  # the client follows redirects
            await ws.send("via redirect")
            check("redirect leads to a working echo", await ws.recv() == "via redirect")
    with peer("raw_http.py", "redirect", "self") as port:
        error = await expect_raises(SecurityError, connect(f"ws://127.0.0.1:{port}/"))
        check("redirect self loops", isinstance(error, SecurityError), error)
    with peer("raw_http.py", "drop") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            await ws.send("hello")
            error = await expect_raises(ConnectionClosedError, ws.recv())
        check("drop closes without a close frame",
              isinstance(error, ConnectionClosedError) and error.rcvd is None, error)
        received = await asyncio.to_thread(raw_exchange, port)
        check("drop sends the correct accept value then EOF",
              b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in received
              and received.endswith(b"\r\n\r\n"), received)
    with peer("raw_http.py", "masked") as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            error = await expect_raises(ConnectionClosedError, ws.recv())
        check("masked sends a masked frame, which the client fails with 1002",
              isinstance(error, ConnectionClosedError) and error.sent.code == 1002, error)
        close_1002 = bytes([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xEA ^ 2])
        received = await asyncio.to_thread(raw_exchange, port, then=close_1002)
        head, _, frames = received.partition(b"\r\n\r\n")
        check("masked answers a close frame with a close frame",
              frames[:2] == b"\x81\x82" and frames[-4:] == b"\x88\x02\x03\xea", received)
    with peer("raw_http.py", "silent") as port:
        started = time.monotonic()
        error = await expect_raises(TimeoutError, connect(f"ws://127.0.0.1:{port}/", open_timeout=1))
        check("silent never answers the handshake",
              isinstance(error, TimeoutError) and time.monotonic() - started < 2, error)


async def check_request_info():
    with peer("request_info.py") as port:
        async with connect(
            f"ws://127.0.0.1:{port}/some/path?q=1", origin="http://origin.test",
            subprotocols=["chat", "superchat"], additional_headers={"X-Token": "abc"},
        ) as ws:
            description = json.loads(await ws.recv())
            messages = await receive_all(ws)
            code = ws.close_code
        headers = {name.lower(): value for name, value in description["headers"]}
        check("request_info describes path and headers",
              description["path"] == "/some/path?q=1" and headers.get("x-token") == "abc"
              and headers.get("origin") == "http://origin.test"
              and headers.get("sec-websocket-protocol") == "chat, superchat", description)
        check("request_info closes with 1000 after one message", messages == [] and code == 1000, code)


def check_stdin_watch():
    environment = dict(os.environ, WSC_TEST_SERVER_WATCH_STDIN="1", PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen([sys.executable, str(HERE / "echo.py")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
    port = int(process.stdout.readline())
    process.stdin.close()
    try:
        code = process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        code = None
    check("a peer exits at EOF on stdin when watching", code == 0 and port > 0, code)


async def main():
    with tempfile.TemporaryDirectory() as directory:
        await check_echo()
        await check_tls(directory)
        await check_count(directory)
        await check_sendn(directory)
        await check_raw_http()
        await check_request_info()
    check_stdin_watch()
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

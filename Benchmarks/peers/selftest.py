#!/usr/bin/env python3
"""Checks the C peers' WebSocket handling with hand-made frames.

websocat never fragments a message or pings, so this covers what the
benchmarks cannot: the Sec-WebSocket-Accept value, masking at odd offsets,
fragmented messages with a ping in between, frames split across writes,
close handshakes, and a protocol error.

    selftest.py BINDIR      (BINDIR holds ws_count, ws_echo, ws_flood)
"""
import base64, hashlib, os, socket, struct, subprocess, sys, time

BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".work", "bin")
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
failures = 0


def check(what, ok):
    global failures
    print(("ok     " if ok else "FAILED ") + what)
    failures += 0 if ok else 1


def start(*args):
    proc = subprocess.Popen([os.path.join(BIN, args[0]), *args[1:]], stdout=subprocess.PIPE, text=True)
    return proc, int(proc.stdout.readline())


def frame(opcode, payload, fin=True, mask=True):
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
              b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + b"\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    expect = base64.b64encode(hashlib.sha1(key + GUID).digest())
    check("101 with the right Sec-WebSocket-Accept",
          head.startswith(b"HTTP/1.1 101") and b"Sec-WebSocket-Accept: " + expect + b"\r\n" in head)
    return s


def read_frames(s):
    """Reads frames until the server's close frame; returns [(opcode, payload)]."""
    buf, out = b"", []
    while True:
        while True:
            if len(buf) >= 2:
                n, pos = buf[1] & 0x7F, 2
                if n == 126 and len(buf) >= 4:
                    n, pos = struct.unpack("!H", buf[2:4])[0], 4
                elif n == 127 and len(buf) >= 10:
                    n, pos = struct.unpack("!Q", buf[2:10])[0], 10
                if n < 126 or pos > 2:
                    if len(buf) >= pos + n:
                        out.append((buf[0] & 0x0F, buf[pos:pos + n]))
                        buf = buf[pos + n:]
                        if out[-1][0] == 8:
                            return out
                        continue
            break
        chunk = s.recv(65536)
        if not chunk:
            return out
        buf += chunk


def report(path):
    for _ in range(50):
        if os.path.exists(path) and open(path).read().strip():
            return open(path).read().strip().splitlines()[-1]
        time.sleep(0.05)
    return ""


tmp = os.environ.get("TMPDIR", "/tmp")
rep, dump = os.path.join(tmp, "selftest-count.txt"), os.path.join(tmp, "selftest-dump.txt")
for p in (rep, dump):
    if os.path.exists(p):
        os.remove(p)

# ws_count: fragments with a ping in between, a frame split across writes, masks at odd offsets
proc, port = start("ws_count", "--once", "--report", rep, "--dump", dump)
s = connect(port)
big = bytes(range(256)) * 300 + b"xyz"                        # 76803 bytes: 64-bit length form
data = frame(1, b"hel", fin=False) + frame(9, b"are you there") + frame(0, b"lo w", fin=False) + frame(0, b"orld")
data += frame(2, big) + frame(1, b"") + frame(1, b"x" * 200)  # 16-bit length form
for i in range(0, len(data), 7):                              # dribble it in 7-byte writes
    s.sendall(data[i:i + 7])
s.sendall(frame(8, struct.pack("!H", 1000) + b"bye"))
got = read_frames(s)
check("pong echoes the ping's payload", got and got[0] == (10, b"are you there"))
check("close 1000 in reply", got and got[-1] == (8, struct.pack("!H", 1000)))
line = report(rep)
check("counts messages and bytes: " + line,
      line.startswith("messages=4 bytes=%d " % (11 + len(big) + 200)) and line.endswith("end=close"))
check("--dump writes each payload and a newline",
      open(dump, "rb").read() == b"hello world\n" + big + b"\n\n" + b"x" * 200 + b"\n")
s.close()
proc.wait(5)

# ws_count: an unmasked frame is a protocol error (1002)
proc, port = start("ws_count", "--once", "--report", rep)
s = connect(port)
s.sendall(frame(1, b"nope", mask=False))
got = read_frames(s)
check("unmasked frame gets close 1002", got and got[-1] == (8, struct.pack("!H", 1002)))
check("reported as error:1002", report(rep).endswith("end=error:1002"))
s.close()
proc.wait(5)

# ws_echo: echoes text and binary, fragmented or not, and answers the close
proc, port = start("ws_echo", "--once")
s = connect(port)
s.sendall(frame(1, b"one") + frame(2, b"tw", fin=False) + frame(0, b"o") + frame(8, struct.pack("!H", 1001)))
got = read_frames(s)
check("echoes messages then closes", got == [(1, b"one"), (2, b"two"), (8, struct.pack("!H", 1000))])
s.close()
proc.wait(5)

proc, port = start("ws_echo", "--once", "--close-after-echo")
s = connect(port)
s.sendall(frame(1, b"hello"))
got = read_frames(s)
check("--close-after-echo sends close 1000 after the echo", got == [(1, b"hello"), (8, struct.pack("!H", 1000))])
s.sendall(frame(8, struct.pack("!H", 1000)))
check("then closes the connection", s.recv(10) == b"")
s.close()
proc.wait(5)

# ws_flood: exact messages, then close; waits for the client's close
proc, port = start("ws_flood", "--once", "--report", rep, "300", "5")
s = connect(port)
got = read_frames(s)
want = [(1, b"%05d" % k) for k in range(1, 301)] + [(8, struct.pack("!H", 1000))]
check("ws_flood sends 300 numbered messages and close 1000", got == want)
s.sendall(frame(8, struct.pack("!H", 1000)))
check("ws_flood closes after the client's close", s.recv(10) == b"")
s.close()
proc.wait(5)
check("ws_flood reports a clean close", report(rep).endswith("end=close"))

print("%d failed" % failures if failures else "all peer checks passed")
sys.exit(1 if failures else 0)

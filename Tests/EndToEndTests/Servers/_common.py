"""Start-up shared by the end-to-end test peers.

Every peer binds 127.0.0.1 on port 0, prints the chosen port as the first line of stdout
(flushed), then serves until it is killed. When the environment has
WSC_TEST_SERVER_WATCH_STDIN=1 (the Swift harness sets it and keeps the other end of the pipe),
the peer also exits when its standard input reaches end of file, so a peer never outlives a
test process that died without stopping it.
"""

import asyncio
import os
import sys

HOST = "127.0.0.1"


def announce_port(port: int) -> None:
    print(port, flush=True)


async def serve_until_stopped() -> None:
    """Waits forever, or until EOF on stdin when WSC_TEST_SERVER_WATCH_STDIN=1."""
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    if os.environ.get("WSC_TEST_SERVER_WATCH_STDIN") == "1":
        fd = sys.stdin.fileno()

        def on_readable() -> None:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                loop.remove_reader(fd)
                if not stopped.done():
                    stopped.set_result(None)

        loop.add_reader(fd, on_readable)
    await stopped


def write_report(path: str, lines: list[str]) -> None:
    """Writes the report atomically, so a reader never sees half of it."""
    temporary = path + ".partial"
    with open(temporary, "w", encoding="utf-8") as report:
        report.write("".join(line + "\n" for line in lines))
    os.replace(temporary, path)


def run(main) -> None:
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass

#!/usr/bin/env python3
"""Writes the lines 1..COUNT to stdout in BATCHES batches with PAUSE seconds between them:
a producer slow enough that a connection can drop and come back while input is still arriving.

usage: slow_lines.py COUNT BATCHES PAUSE
"""
import sys
import time

count, batches, pause = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
per_batch = (count + batches - 1) // batches
n = 1
while n <= count:
    last = min(count, n + per_batch - 1)
    sys.stdout.write("".join(f"{i}\n" for i in range(n, last + 1)))
    sys.stdout.flush()
    n = last + 1
    if n <= count:
        time.sleep(pause)

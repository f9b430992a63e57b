#!/bin/sh
# The program websocketd runs for the "ends without a close frame" check: a line per second,
# three times, then it exits, and websocketd hangs up the connection without a close frame.
for i in 1 2 3; do
    echo "tick $i"
    sleep 1
done

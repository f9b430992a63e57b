#!/usr/bin/env bash
# Checks that the benchmark rig works, in a few seconds: builds the peers,
# runs their protocol self-test, then pushes small versions of every
# benchmark through websocat and raw TCP (and wsc when WSC=path is given)
# and checks that every count is exact. No timing, no assertions on speed.
#
#   Benchmarks/smoke.sh                 websocat and raw TCP
#   WSC=.build-release/release/wsc Benchmarks/smoke.sh
#
# Exits non-zero when any count or echo is wrong.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${SMOKE_N:-1000}
LARGE_N=5
LARGE_SIZE=100000
TIMEOUT=20

setup_tools --no-hyperfine
trap stop_servers EXIT
R=$WORK/smoke
rm -rf "$R"
mkdir -p "$R"
failures=0

pass() { printf 'ok      %s\n' "$*"; }
bad() { printf 'FAILED  %s\n' "$*"; failures=$((failures + 1)); }

log "peer self-test"
if TMPDIR=$R python3 "$BENCH_DIR/peers/selftest.py" "$BIN" >"$R/selftest.log" 2>&1; then
    pass "peer self-test ($(grep -c '^ok' "$R/selftest.log") checks)"
else
    cat "$R/selftest.log"
    bad "peer self-test"
fi

CLIENTS=(websocat raw)
if [[ -n ${WSC:-} ]]; then
    if [[ -x $WSC ]]; then CLIENTS=(wsc websocat raw); else bad "WSC=$WSC is not executable"; fi
fi

seq 1 "$N" >"$R/small.txt"
python3 -c '
import sys
n, size = int(sys.argv[2]), int(sys.argv[3])
with open(sys.argv[1], "wb") as f:
    for k in range(n):
        f.write((b"%08d-" % k + b"x" * size)[:size] + b"\n")
' "$R/large.txt" "$LARGE_N" "$LARGE_SIZE"
printf 'hello\n' >"$R/hello.txt"

start_server P_ECHO ws_echo --close-after-echo --report "$R/echo.txt"
start_server P_ECHO_RAW ws_echo --raw --close-after-echo --report "$R/echo-raw.txt"
start_server P_COUNT ws_count --report "$R/count.txt" --dump "$R/dump.txt"
start_server P_SINK tcp_sink --report "$R/sink.txt"
start_server P_FLOOD ws_flood --report "$R/flood.txt" "$N" 8
start_server P_FLOOD_RAW ws_flood --raw --report "$R/flood-raw.txt" "$N" 8

# The same client command lines as run.sh.
for c in "${CLIENTS[@]}"; do
    case $c in
    wsc)
        oneshot="$WSC -x hello -w 5 ws://127.0.0.1:$P_ECHO/"
        send="$WSC -q -w 0 ws://127.0.0.1:$P_COUNT/"
        send_large=$send
        recv="$WSC -q -w 60 ws://127.0.0.1:$P_FLOOD/"
        ;;
    websocat)
        oneshot="$WEBSOCAT -1 ws://127.0.0.1:$P_ECHO/ < $R/hello.txt"
        send="$WEBSOCAT ws://127.0.0.1:$P_COUNT/"
        send_large="$WEBSOCAT -B 2097152 ws://127.0.0.1:$P_COUNT/"
        recv="$WEBSOCAT -n ws://127.0.0.1:$P_FLOOD/"
        ;;
    raw)
        oneshot="$BIN/tcp_send $P_ECHO_RAW < $R/hello.txt"
        send="$BIN/tcp_send $P_SINK"
        send_large=$send
        recv="$BIN/tcp_recv $P_FLOOD_RAW"
        ;;
    esac
    report=$R/count.txt
    [[ $c == raw ]] && report=$R/sink.txt

    # (a) one-shot
    if timeout "$TIMEOUT" bash -c "$oneshot" </dev/null >"$R/$c-oneshot.out" 2>"$R/$c-oneshot.err" \
        && [[ $(tr -d '\r' <"$R/$c-oneshot.out") == hello ]]; then
        pass "$c: one-shot echo"
    else
        bad "$c: one-shot echo (got '$(head -c 80 "$R/$c-oneshot.out")', stderr in $R/$c-oneshot.err)"
    fi

    # (b) and (c) sending: exact message count, payload bytes with or without the newlines
    for kind in small large; do
        cmd=$send
        [[ $kind == large ]] && cmd=$send_large
        want=$(lines_in "$R/$kind.txt")
        in_bytes=$(wc -c <"$R/$kind.txt")
        before=$(lines_in "$report")
        rm -f "$R/dump.txt"
        rc=0
        timeout "$TIMEOUT" bash -c "$cmd" <"$R/$kind.txt" >"$R/$c-$kind.out" 2>"$R/$c-$kind.err" || rc=$?
        line=$(await_report "$report" "$before")
        got=$(field messages "$line")
        bytes=$(field bytes "$line")
        if [[ $rc -eq 0 && $got == "$want" && ($bytes == "$in_bytes" || $bytes == $((in_bytes - want))) ]]; then
            pass "$c: send $kind: $got messages, $bytes bytes"
        else
            bad "$c: send $kind: exit $rc, server saw '${line:-nothing}', expected $want messages"
        fi
        if [[ $c != raw && -f $R/dump.txt ]] && ! cmp -s "$R/dump.txt" "$R/$kind.txt"; then
            bad "$c: send $kind: the messages' payloads differ from the input lines"
        fi
    done

    # (d) receiving: exact line count and bytes
    rc=0
    timeout "$TIMEOUT" bash -c "$recv" </dev/null >"$R/$c-recv.out" 2>"$R/$c-recv.err" || rc=$?
    got=$(lines_in "$R/$c-recv.out")
    size=$(wc -c <"$R/$c-recv.out")
    if [[ $rc -eq 0 && $got == "$N" && $size == $((N * 9)) ]]; then
        pass "$c: receive: $got lines"
    else
        bad "$c: receive: exit $rc, $got lines and $size bytes, expected $N and $((N * 9))"
    fi
done

for c in "${CLIENTS[@]}"; do
    [[ $c == raw ]] && continue
    if ! cmp -s "$R/$c-recv.out" "$R/raw-recv.out"; then bad "$c: received lines differ from the raw stream"; fi
done

stop_servers
if ((failures)); then
    echo "smoke: $failures failed"
    exit 1
fi
echo "smoke: all checks passed"

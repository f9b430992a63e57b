#!/usr/bin/env bash
# Compares two wsc binaries on run.sh's wsc rows, and (l), listen mode receiving, run by run:
# every run of a row takes the old binary, then the new one (then the other way round), so load
# on the machine falls on both alike; prints the median of each and new/old as one table.
#
#   Benchmarks/compare.sh OLD_WSC NEW_WSC
#
# Why beside run.sh: run.sh runs each client RUNS times in a row and its rows move by up to
# 10% between invocations on a 2-core machine (the client, the peer and `seq` share it), too
# much to tell a 5% change. Here each row gets ROUNDS (21) interleaved runs per binary.
#
# Settings (environment): ROUNDS (21), ROWS (which rows: "a b c d f g l"), SMALL_N (1000000), LARGE_N (200) and LARGE_SIZE
# (1048576), FLOOD_N (1000000) and FLOOD_SIZE (8), TIMEOUT (seconds one run may take; 120).
# Every run is checked as in run.sh (exit 0, exact message or line count, the echo printed);
# a failed check stops the comparison with exit 1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [[ $# -ne 2 || ! -x $1 || ! -x $2 ]]; then
    log "usage: Benchmarks/compare.sh OLD_WSC NEW_WSC (two executable wsc binaries)"
    exit 2
fi
OLD=$1 NEW=$2
ROUNDS=${ROUNDS:-21}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
setup_tools --no-hyperfine
trap stop_servers EXIT
R=$WORK/tmp/compare
mkdir -p "$R"

BIG=$(large_input "$LARGE_N" "$LARGE_SIZE")

start_server P_ECHO ws_echo --close-after-echo
start_server P_COUNT ws_count --report "$R/report-count.txt"
start_server P_FLOOD ws_flood "$FLOOD_N" "$FLOOD_SIZE"
start_python_server P_PY_ECHO handler_echo.py

# row_command ROW CLIENT: the command of one run (run.sh's wsc column); CLIENT is the wsc
# binary behind its timeout and /usr/bin/time.
row_command() {
    case $1 in
    a) echo "$2 -x hello -w 5 ws://127.0.0.1:$P_ECHO/ </dev/null" ;;
    b) echo "seq 1 $SMALL_N | $2 -q -w 0 ws://127.0.0.1:$P_COUNT/" ;;
    c) echo "cat $BIG | $2 -q -w 0 ws://127.0.0.1:$P_COUNT/" ;;
    d) echo "$2 -q -w 60 ws://127.0.0.1:$P_FLOOD/ </dev/null" ;;
    f) echo "echo hello | $2 ws://127.0.0.1:$P_PY_ECHO/" ;;
    g) echo "$2 ws://127.0.0.1:$P_FLOOD/ </dev/null" ;;
    esac
}

# check ROW BEFORE: did the run just made do all of its work?
check() {
    local out=$R/out
    case $1 in
    a | f) [[ $(tr -d '\r' <"$out") == hello ]] || { log "($1): did not print the echo"; return 1; } ;;
    b | c)
        local want=$SMALL_N line
        [[ $1 == c ]] && want=$LARGE_N
        line=$(await_report "$R/report-count.txt" "$2")
        [[ $(field messages "$line") == "$want" ]] || { log "($1): the server counted '$line', expected $want messages"; return 1; }
        ;;
    d | g) [[ $(lines_in "$out") == "$FLOOD_N" ]] || { log "($1): $(lines_in "$out") lines, expected $FLOOD_N"; return 1; } ;;
    esac
}

declare -A TIMES RSS
measure() { # measure ROW LABEL BINARY
    [[ $1 == l ]] && { measure_listen "$2" "$3"; return; }
    local before rss
    before=$(lines_in "$R/report-count.txt")
    timed "$(row_command "$1" "timeout $TIMEOUT $TIME_BIN -f %M -o $R/rss $3") >$R/out 2>$R/err"
    [[ $RUN_RC -eq 0 ]] || { log "($1) $2: exit $RUN_RC ($(head -c 300 "$R/err"))"; exit 1; }
    check "$1" "$before" || exit 1
    TIMES[$1|$2]+="$RUN_SECONDS "
    rss=$(rss_of "$R/rss")
    (( ${rss:-0} > ${RSS[$1|$2]:-0} )) && RSS[$1|$2]=$rss
    return 0
}

# measure_listen LABEL BINARY: row (l), listen mode receiving. BINARY listens (`-l 0`, started
# before the clock), and the new binary sends it `seq 1 SMALL_N` (the same sender for both, so
# only the listener differs); the time is the sender's, which waits for the listener's answer to
# its close, so for every message to have been read. The listener must print every line.
measure_listen() {
    local out=$R/listen.out err=$R/listen.err port="" pid i rss
    : >"$err"
    $TIME_BIN -f %M -o "$R/rss" "$2" -l 0 --host 127.0.0.1 </dev/null >"$out" 2>"$err" &
    pid=$!
    for i in $(seq 1 250); do
        port=$(sed -n 's|^listening on ws://127.0.0.1:\([0-9]*\)/.*|\1|p' "$err")
        [[ -n $port ]] && break
        sleep 0.02
    done
    [[ -n $port ]] || { log "(l) $1: the listener did not say where it listens ($(head -c 300 "$err"))"; kill "$pid"; exit 1; }
    timed "seq 1 $SMALL_N | timeout $TIMEOUT $NEW -q -w 0 ws://127.0.0.1:$port/ >/dev/null 2>$R/err"
    for i in $(seq 1 250); do
        (( $(lines_in "$out") >= SMALL_N )) && break
        sleep 0.02
    done
    # Ctrl-C for the listener itself: /usr/bin/time ignores SIGINT while it waits.
    pkill -INT -P "$pid" || true
    wait "$pid" || true
    [[ $RUN_RC -eq 0 ]] || { log "(l) $1: the sender exited $RUN_RC ($(head -c 300 "$R/err"))"; exit 1; }
    [[ $(lines_in "$out") == "$SMALL_N" ]] || { log "(l) $1: the listener printed $(lines_in "$out") lines, expected $SMALL_N"; exit 1; }
    TIMES[l|$1]+="$RUN_SECONDS "
    rss=$(rss_of "$R/rss")
    (( ${rss:-0} > ${RSS[l|$1]:-0} )) && RSS[l|$1]=$rss
    return 0
}

read -r -a ROWS <<<"${ROWS:-a b c d f g l}"
declare -A NAME=(
    [a]="(a) one-shot, \`-x hello -w 5\`"
    [b]="(b) send $(printf '%s' "$SMALL_N" | commas) small messages"
    [c]="(c) send $LARGE_N × $LARGE_SIZE B"
    [d]="(d) receive $(printf '%s' "$FLOOD_N" | commas) × $FLOOD_SIZE B, \`-w 60\`"
    [f]="(f) \`echo hello \\| wsc URL\`, python-websockets echo"
    [g]="(g) receive, defaults (\`< /dev/null\`)"
    [l]="(l) listen: receive $(printf '%s' "$SMALL_N" | commas) small messages, \`wsc -l\`"
)
for row in "${ROWS[@]}"; do
    log "${NAME[$row]}: $ROUNDS runs of each binary, interleaved"
    for r in $(seq 1 "$ROUNDS"); do
        # Alternate which goes first, so neither always runs on a machine the other just warmed.
        if (( r % 2 )); then measure "$row" old "$OLD"; measure "$row" new "$NEW"
        else measure "$row" new "$NEW"; measure "$row" old "$OLD"; fi
    done
done

ms() { printf '%s\n' $1 | median | awk '{ printf "%.2f", $1 * 1000 }'; }
printf '# wsc A/B comparison\n\n'
printf '%s UTC; old: %s; new: %s\n' "$(date -u '+%Y-%m-%d %H:%M')" "$OLD" "$NEW"
printf 'load average before: %s, after: %s; %s interleaved runs per binary and row; wall clock of the whole client command, median.\n\n' \
    "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$ROUNDS"
printf '| row | old | new | new/old time | old peak RSS | new peak RSS |\n|---|---:|---:|---:|---:|---:|\n'
for row in "${ROWS[@]}"; do
    o=$(ms "${TIMES[$row|old]}")
    n=$(ms "${TIMES[$row|new]}")
    printf '| %s | %s ms | %s ms | %s | %s MiB | %s MiB |\n' "${NAME[$row]}" "$o" "$n" \
        "$(awk -v a="$o" -v b="$n" 'BEGIN { printf "%.3f", b / a }')" \
        "$(awk -v k="${RSS[$row|old]}" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(awk -v k="${RSS[$row|new]}" 'BEGIN { printf "%.1f", k / 1024 }')"
done
printf '\nnew/old below 1 means the new binary is faster (for (b)-(d) and (g), the rate ratio is its inverse).\n'

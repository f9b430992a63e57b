#!/usr/bin/env bash
# Runs the Autobahn|Testsuite client cases against `wsc --echo` and prints a per-group summary;
# with --server, the server cases against `wsc -l --echo` instead.
#
#   Scripts/autobahn.sh                  every case (about 15 minutes)
#   Scripts/autobahn.sh --server         every server case: the suite's fuzzing client against
#                                        `wsc -l PORT --echo` (CASES patterns work too)
#   CASES=1-100 Scripts/autobahn.sh      cases 1 to 100 by the suite's numbering (a single N works too)
#   CASES='1.*,2.*,9.*' Scripts/autobahn.sh   only these case IDs (Autobahn patterns, comma-separated)
#
# Per-case timeout: 130 s for groups 9, 12 and 13, 30 s for the others.
#
# Other settings (environment):
#   AUTOBAHN_DIR   where the suite is installed and reports are written (default: .autobahn/)
#   AUTOBAHN_PORT  the fuzzing server's port on 127.0.0.1 (default: a free one)
#   WSC            the wsc binary to test (default: a release build in .build-release/)
#   PYTHON27       a Python 2.7 interpreter (default: pyenv's 2.7.18)
#
# The suite (autobahntestsuite 25.10.1) runs on Python 2.7 only: a Python 3 venv gets
# virtualenv<20.22, which can still create a 2.7 virtualenv, and the suite is installed there
# (once, about 25 s; kept in AUTOBAHN_DIR). The fuzzing server is started through
# Scripts/autobahn/fuzzingserver.py so that it listens on 127.0.0.1 only.
#
# Exit status: 0 when no case FAILED, 1 when some did, 2 when the run itself broke.
set -euo pipefail

mode=client
case ${1:-} in
    --server) mode=server; shift ;;
    "") ;;
    *) printf 'usage: Scripts/autobahn.sh [--server]\n' >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work=${AUTOBAHN_DIR:-$root/.autobahn}
agent=wsc
suite_version=25.10.1

log() { printf 'autobahn: %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }

# --- The suite ---------------------------------------------------------------------------------
install_suite() {
    local marker=$work/py2/.autobahntestsuite-$suite_version
    [[ -f $marker ]] && return
    local python27=${PYTHON27:-}
    if [[ -z $python27 ]]; then
        command -v pyenv >/dev/null || die "no PYTHON27 given and no pyenv to find Python 2.7.18"
        python27=$(pyenv root)/versions/2.7.18/bin/python
    fi
    [[ -x $python27 ]] || die "Python 2.7 not found at $python27 (set PYTHON27)"
    log "installing autobahntestsuite $suite_version into $work (about 30 s)"
    rm -rf "$work/tools" "$work/py2"
    mkdir -p "$work"
    python3 -m venv "$work/tools"
    "$work/tools/bin/pip" install --quiet 'virtualenv<20.22'
    "$work/tools/bin/virtualenv" --quiet -p "$python27" "$work/py2"
    "$work/py2/bin/pip" install --quiet --disable-pip-version-check "autobahntestsuite==$suite_version" 2>&1 \
        | grep -v -e DEPRECATION -e 'Python 2.7' >&2 || true
    "$work/py2/bin/python" -c 'import autobahntestsuite' || die "autobahntestsuite did not install"
    touch "$marker"
}

# --- wsc ---------------------------------------------------------------------------------------
build_wsc() {
    if [[ -n ${WSC:-} ]]; then
        [[ -x $WSC ]] || die "WSC=$WSC is not executable"
        return
    fi
    log "building wsc (release: make build)"
    make -C "$root" build >&2
    WSC=$root/.build-release/release/wsc
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

server_pid=
stop_server() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap stop_server EXIT

# --- Server mode: the suite's fuzzing client against `wsc -l --echo` ---------------------------
run_server_cases() {
    local reports=$work/reports/servers
    rm -rf "$reports"
    mkdir -p "$reports"
    : > "$work/wsc-server.log"
    local port
    port=${AUTOBAHN_PORT:-$(free_port)}
    # wsc's stdout (the echoed messages) is not needed: only its status lines are kept.
    "$WSC" -l "$port" --echo < /dev/null > /dev/null 2>> "$work/wsc-server.log" &
    server_pid=$!
    for _ in $(seq 1 50); do
        grep -q 'listening on' "$work/wsc-server.log" && break
        kill -0 "$server_pid" 2>/dev/null || die "wsc -l exited; see $work/wsc-server.log"
        sleep 0.1
    done
    grep -q 'listening on' "$work/wsc-server.log" || die "wsc -l did not start; see $work/wsc-server.log"

    local case_list='["*"]'
    if [[ -n ${CASES:-} ]]; then
        [[ $CASES =~ ^[0-9] && ! $CASES =~ [*.,] ]] && die "--server takes case patterns in CASES (e.g. '1.*,2.*'), not numbers"
        case_list=$(python3 -c 'import json, sys; print(json.dumps([p.strip() for p in sys.argv[1].split(",") if p.strip()]))' "$CASES")
    fi
    cat > "$work/fuzzingclient.json" <<SPEC
{
   "outdir": "$reports",
   "servers": [{"agent": "$agent", "url": "ws://127.0.0.1:$port"}],
   "cases": $case_list,
   "exclude-cases": [],
   "exclude-agent-cases": {}
}
SPEC
    log "running the server cases against $WSC -l $port --echo"
    local started=$SECONDS
    (cd "$work" && "$work/py2/bin/wstest" -m fuzzingclient -s "$work/fuzzingclient.json") \
        > "$work/fuzzingclient.log" 2>&1 || die "the fuzzing client failed; see $work/fuzzingclient.log"
    log "ran the server cases in $((SECONDS - started)) s; wsc's status lines are in $work/wsc-server.log"
    stop_server
    [[ -f $reports/index.json ]] || die "no report written to $reports"
    local status=0
    python3 Scripts/autobahn/summarize.py "$reports" "$agent" ${SUMMARY_FORMAT:+--$SUMMARY_FORMAT} || status=$?
    log "report: $reports/index.html"
    exit "$status"
}

# --- Which cases -------------------------------------------------------------------------------
cases=${CASES:-}
first=1
last=
patterns=
if [[ $cases =~ ^([0-9]+)(-([0-9]+))?$ ]]; then
    first=${BASH_REMATCH[1]}
    last=${BASH_REMATCH[3]:-$first}
elif [[ -n $cases ]]; then
    patterns=$cases
fi

install_suite
build_wsc
[[ $mode == server ]] && run_server_cases

port=${AUTOBAHN_PORT:-$(free_port)}
reports=$work/reports/clients
rm -rf "$reports" "$work/cases.txt"
mkdir -p "$reports"
: > "$work/wsc.log"

server_args=(--spec Scripts/autobahn/fuzzingserver.json --port "$port" --outdir "$reports"
             --case-list "$work/cases.txt")
[[ -n $patterns ]] && server_args+=(--cases "$patterns")
"$work/py2/bin/python" Scripts/autobahn/fuzzingserver.py "${server_args[@]}" > "$work/fuzzingserver.log" 2>&1 &
server_pid=$!

# Ready once it has written the case list: that happens after it bound the port.
for _ in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || die "the fuzzing server exited; see $work/fuzzingserver.log"
    [[ -s $work/cases.txt ]] && break
    sleep 0.3
done
[[ -s $work/cases.txt ]] || die "the fuzzing server did not start; see $work/fuzzingserver.log"

# The server sends the count and closes at once, maybe before wsc saw the end of its empty
# stdin (which wsc then reports as an early close): only the output matters here.
count=$("$WSC" -q "ws://127.0.0.1:$port/getCaseCount" < /dev/null 2>> "$work/wsc.log" || true)
[[ $count =~ ^[0-9]+$ ]] || die "cannot get the case count (got '$count'; see $work/wsc.log)"
[[ $count -eq $(wc -l < "$work/cases.txt") ]] || die "case count $count does not match the case list"
last=${last:-$count}
(( last > count )) && last=$count
(( first >= 1 && first <= last )) || die "no cases in range $first-$last (the suite has $count)"
log "running cases $first to $last of $count on 127.0.0.1:$port with $WSC"

started=$SECONDS
timeouts=()
for ((n = first; n <= last; n++)); do
    id=$(sed -n "${n}p" "$work/cases.txt")
    # Group 9 (performance) waits up to 100 s server-side. Groups 12 and 13 (compression) push
    # 1000 messages of up to 128 KiB through zlib both ways, in up to 512 frames each: 15 s on
    # an idle 2-core machine for the slowest (12.2.15), over 30 s under load; the suite itself
    # allows them up to 480 s.
    limit=30
    [[ $id == 9.* || $id == 12.* || $id == 13.* ]] && limit=130
    printf '[%d/%d] %s\n' "$n" "$last" "$id" >> "$work/wsc.log"
    status=0
    timeout "$limit" "$WSC" --echo -q "ws://127.0.0.1:$port/runCase?case=$n&agent=$agent" \
        < /dev/null > /dev/null 2>> "$work/wsc.log" || status=$?
    if (( status == 124 )); then
        timeouts+=("$id")
        log "case $id ($n) timed out after $limit s"
    fi
    if (( (n - first + 1) % 50 == 0 )); then
        log "$((n - first + 1)) cases done ($((SECONDS - started)) s)"
    fi
done
log "ran $((last - first + 1)) cases in $((SECONDS - started)) s; wsc's messages are in $work/wsc.log"

"$WSC" -q "ws://127.0.0.1:$port/updateReports?agent=$agent" < /dev/null > /dev/null 2>> "$work/wsc.log" || true
[[ -f $reports/index.json ]] || die "no report written to $reports (updateReports failed?)"

status=0
python3 Scripts/autobahn/summarize.py "$reports" "$agent" ${SUMMARY_FORMAT:+--$SUMMARY_FORMAT} || status=$?
(( ${#timeouts[@]} == 0 )) || log "timed out: ${timeouts[*]}"
log "report: $reports/index.html"
exit "$status"

#!/usr/bin/env bash
# Measures wsc beside websocat and raw TCP on loopback, with the same C peers,
# and prints one Markdown table (also saved to Benchmarks/.work/results.md).
#
#   Benchmarks/run.sh              build wsc in release mode, then measure
#   WSC=/path/to/wsc Benchmarks/run.sh
#
# Settings (environment): RUNS (repetitions of each throughput run, median
# reported; 3), LAT_RUNS / LAT_WARMUP (hyperfine runs for the one-shot; 50 / 5),
# SMALL_N (1000000), LARGE_N (200) and LARGE_SIZE (1048576), FLOOD_N (1000000)
# and FLOOD_SIZE (8), TIMEOUT (seconds one client run may take; 120), DEFAULT_RUNS
# (runs of `echo hello | client URL`, wsc and websocat alternating; 30).
# A wsc that does not build or fails a run gets FAIL in its cells; the other
# columns are measured anyway.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-3}
LAT_RUNS=${LAT_RUNS:-50}
LAT_WARMUP=${LAT_WARMUP:-5}
DEFAULT_RUNS=${DEFAULT_RUNS:-30}
CLIENTS=(wsc websocat raw)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$WORK/tmp"
setup_tools
trap stop_servers EXIT

# ------------------------------------------------------------ build wsc
WSC_ERR=""
if [[ -n ${WSC:-} ]]; then
    [[ -x $WSC ]] || WSC_ERR="WSC=$WSC is not an executable"
else
    log "building wsc (make build: what make install installs; log in Benchmarks/.work/wsc-build.log)"
    if make -C "$ROOT_DIR" build >"$WORK/wsc-build.log" 2>&1; then
        WSC=$ROOT_DIR/.build-release/release/wsc
    else
        WSC_ERR="swift build failed, see Benchmarks/.work/wsc-build.log"
        WSC=/nonexistent/wsc
    fi
fi
[[ -n $WSC_ERR ]] && log "wsc: $WSC_ERR"

# ------------------------------------------------------------ inputs
SMALL_BYTES=$(seq 1 "$SMALL_N" | wc -c)
BIG=$(large_input "$LARGE_N" "$LARGE_SIZE")
BIG_BYTES=$(wc -c <"$BIG")
printf 'hello\n' >"$WORK/hello.txt"
FLOOD_BYTES=$((FLOOD_N * (FLOOD_SIZE + 1)))

# ------------------------------------------------------------ peers
R=$WORK/tmp
rm -f "$R"/report-*.txt "$R"/runs.tsv
start_server P_ECHO ws_echo --close-after-echo --report "$R/report-echo.txt"
start_server P_ECHO_RAW ws_echo --raw --close-after-echo --report "$R/report-echo-raw.txt"
start_server P_COUNT ws_count --report "$R/report-count.txt"
start_server P_SINK tcp_sink --report "$R/report-sink.txt"
start_server P_FLOOD ws_flood --report "$R/report-flood.txt" "$FLOOD_N" "$FLOOD_SIZE"
start_server P_FLOOD_RAW ws_flood --raw --report "$R/report-flood-raw.txt" "$FLOOD_N" "$FLOOD_SIZE"
start_python_server P_PY_ECHO handler_echo.py

# ------------------------------------------------------------ results
declare -A VAL=() CELL=()
NOTES=()
printf 'benchmark\tclient\trun\tseconds\trss_kib\trate\n' >"$R/runs.tsv"

fail() { # fail ROW CLIENT [REASON]: FAIL in the cell, the reason in the notes
    CELL[$1|$2]=FAIL
    unset "VAL[$1|$2]"
    if [[ -n ${3:-} ]]; then
        NOTES+=("$2, $1: $3")
        log "  $2: FAIL ($3)"
    fi
}


# ------------------------------------------------------------ (a) one-shot latency
oneshot_cmd() {
    case $1 in
    wsc) echo "$WSC -x hello -w 5 ws://127.0.0.1:$P_ECHO/" ;;
    websocat) echo "$WEBSOCAT -1 ws://127.0.0.1:$P_ECHO/ < $WORK/hello.txt" ;;
    raw) echo "$BIN/tcp_send $P_ECHO_RAW < $WORK/hello.txt" ;;
    esac
}

log "(a) one-shot latency: hyperfine, $LAT_WARMUP warm-up + $LAT_RUNS runs each"
for c in "${CLIENTS[@]}"; do
    if [[ $c == wsc && -n $WSC_ERR ]]; then fail lat wsc "$WSC_ERR"; continue; fi
    cmd=$(oneshot_cmd "$c")
    timed "timeout 20 bash -c '$cmd' </dev/null >$R/lat-$c.out 2>$R/lat-$c.err"
    if [[ $RUN_RC -ne 0 ]]; then fail lat "$c" "exit $RUN_RC on the check run (stderr in .work/tmp/lat-$c.err)"; continue; fi
    if [[ $(tr -d '\r' <"$R/lat-$c.out") != hello ]]; then fail lat "$c" "did not print the echo 'hello'"; continue; fi
    json=$R/lat-$c.json
    if ! timeout 600 hyperfine --style basic --warmup "$LAT_WARMUP" --runs "$LAT_RUNS" \
        --export-json "$json" -n "$c" "$cmd" </dev/null >"$R/lat-$c.log" 2>&1; then
        fail lat "$c" "hyperfine failed (see .work/tmp/lat-$c.log)"
        continue
    fi
    ms=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % (r["median"]*1000))' "$json")
    VAL[lat|$c]=$ms
    CELL[lat|$c]="$(printf '%.2f' "$ms") ms"
    log "  $c: median $ms ms"
done

# ------------------------------------------------------------ (b), (c) sending
send_client() { # send_client CLIENT ROW PORT_WS PORT_TCP
    case $1 in
    wsc) echo "$WSC -q -w 0 ws://127.0.0.1:$3/" ;;
    websocat) if [[ $2 == large ]]; then echo "$WEBSOCAT -B 2097152 ws://127.0.0.1:$3/"; else echo "$WEBSOCAT ws://127.0.0.1:$3/"; fi ;;
    raw) echo "$BIN/tcp_send $4" ;;
    esac
}

# bench_send ROW PRODUCER MESSAGES INPUT_BYTES: each run takes every client in turn
# (interleaved, as bench_recv does, so a slow spell of the machine falls on all of them alike
# rather than on one client's block of runs).
bench_send() {
    local row=$1 producer=$2 want=$3 in_bytes=$4 c r
    local -A rates=() rss_max=() ok=() client=()
    for c in "${CLIENTS[@]}"; do
        ok[$c]=1 rss_max[$c]=0 rates[$c]=""
        client[$c]=$(send_client "$c" "$row" "$P_COUNT" "$P_SINK")
        if [[ $c == wsc && -n $WSC_ERR ]]; then fail "$row" wsc "$WSC_ERR"; fail "rss_$row" wsc; ok[$c]=0; fi
    done
    for r in $(seq 1 "$RUNS"); do
        for c in "${CLIENTS[@]}"; do
            (( ok[$c] )) || continue
            local report=$R/report-count.txt before line got bytes rss rate
            [[ $c == raw ]] && report=$R/report-sink.txt
            before=$(lines_in "$report")
            timed "$producer | timeout $TIMEOUT $TIME_BIN -f %M -o $R/rss ${client[$c]} >$R/$row-$c.out 2>$R/$row-$c.err"
            line=$(await_report "$report" "$before")
            got=$(field messages "$line")
            bytes=$(field bytes "$line")
            rss=$(rss_of "$R/rss")
            rss=${rss:-0}
            if [[ $RUN_RC -ne 0 ]]; then
                fail "$row" "$c" "exit $RUN_RC (run $r; stderr in .work/tmp/$row-$c.err)"; ok[$c]=0; continue
            elif [[ $RUN_PRODUCER_RC -ne 0 ]]; then
                fail "$row" "$c" "exit 0 but did not read all its input: the producer exited $RUN_PRODUCER_RC (run $r)"; ok[$c]=0; continue
            elif [[ -z $line ]]; then
                fail "$row" "$c" "the server saw no connection end (run $r)"; ok[$c]=0; continue
            elif [[ $got != "$want" ]]; then
                fail "$row" "$c" "server counted ${got} messages, expected $want (run $r)"; ok[$c]=0; continue
            elif [[ $bytes != "$in_bytes" && $bytes != $((in_bytes - want)) ]]; then
                fail "$row" "$c" "server counted $bytes payload bytes, expected $in_bytes or $((in_bytes - want)) (run $r)"; ok[$c]=0; continue
            fi
            if [[ $row == large ]]; then
                rate=$(awk -v b="$in_bytes" -v s="$RUN_SECONDS" 'BEGIN { printf "%.3f", b / s / 1e6 }')
            else
                rate=$(awk -v n="$want" -v s="$RUN_SECONDS" 'BEGIN { printf "%.1f", n / s }')
            fi
            rates[$c]+="$rate "
            (( rss > rss_max[$c] )) && rss_max[$c]=$rss
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$c" "$r" "$RUN_SECONDS" "$rss" "$rate" >>"$R/runs.tsv"
        done
    done
    for c in "${CLIENTS[@]}"; do
        [[ $c == wsc && -n $WSC_ERR ]] && continue
        if (( ok[$c] )); then
            local m
            m=$(printf '%s\n' ${rates[$c]} | median)
            VAL[$row|$c]=$m
            if [[ $row == large ]]; then
                CELL[$row|$c]="$(printf '%.0f' "$m" | commas) MB/s"
            else
                CELL[$row|$c]="$(printf '%.0f' "$m" | commas) msg/s"
            fi
            VAL[rss_$row|$c]=$(awk -v k="${rss_max[$c]}" 'BEGIN { printf "%.2f", k / 1024 }')
            CELL[rss_$row|$c]="$(printf '%.1f' "${VAL[rss_$row|$c]}") MiB"
            log "  $c: ${CELL[$row|$c]}, peak RSS ${CELL[rss_$row|$c]}"
        else
            fail "rss_$row" "$c"
        fi
    done
}

log "(b) sending $SMALL_N small messages (seq 1 $SMALL_N | client), $RUNS runs each"
bench_send small "seq 1 $SMALL_N" "$SMALL_N" "$SMALL_BYTES"
log "(c) sending $LARGE_N messages of $LARGE_SIZE bytes (cat file | client), $RUNS runs each"
bench_send large "cat $BIG" "$LARGE_N" "$BIG_BYTES"

# ------------------------------------------------------------ (d), (g) receiving
recv_client() { # recv_client ROW CLIENT: (d) as tuned for throughput, (g) the defaults
    case $1/$2 in
    recv/wsc) echo "$WSC -q -w 60 ws://127.0.0.1:$P_FLOOD/" ;;
    recv/websocat) echo "$WEBSOCAT -n ws://127.0.0.1:$P_FLOOD/" ;;
    recv/raw | recv_eof/raw) echo "$BIN/tcp_recv $P_FLOOD_RAW" ;;
    recv_eof/wsc) echo "$WSC ws://127.0.0.1:$P_FLOOD/" ;;
    recv_eof/websocat) echo "$WEBSOCAT ws://127.0.0.1:$P_FLOOD/" ;;
    esac
}

# bench_recv ROW: each run takes every client in turn (interleaved, so load on
# the machine falls on all of them alike).
bench_recv() {
    local row=$1 c r out got size rss rate
    local -A rates=() rss_max=() ok=()
    for c in "${CLIENTS[@]}"; do
        ok[$c]=1 rss_max[$c]=0 rates[$c]=""
        if [[ $c == wsc && -n $WSC_ERR ]]; then fail "$row" wsc "$WSC_ERR"; fail "rss_$row" wsc; ok[$c]=0; fi
    done
    for r in $(seq 1 "$RUNS"); do
        for c in "${CLIENTS[@]}"; do
            (( ok[$c] )) || continue
            out=$R/$row-$c.out
            rm -f "$out"
            timed "timeout $TIMEOUT $TIME_BIN -f %M -o $R/rss $(recv_client "$row" "$c") </dev/null >$out 2>$R/$row-$c.err"
            got=$(lines_in "$out")
            size=$(wc -c <"$out")
            rss=$(rss_of "$R/rss")
            rss=${rss:-0}
            if [[ $RUN_RC -ne 0 ]]; then
                fail "$row" "$c" "exit $RUN_RC (run $r; stderr in .work/tmp/$row-$c.err)"; ok[$c]=0; continue
            elif [[ $got != "$FLOOD_N" ]]; then
                fail "$row" "$c" "wrote $got lines, expected $FLOOD_N (run $r)"; ok[$c]=0; continue
            elif [[ $size != "$FLOOD_BYTES" ]]; then
                fail "$row" "$c" "wrote $size bytes, expected $FLOOD_BYTES (run $r)"; ok[$c]=0; continue
            fi
            rate=$(awk -v n="$FLOOD_N" -v s="$RUN_SECONDS" 'BEGIN { printf "%.1f", n / s }')
            rates[$c]+="$rate "
            (( rss > rss_max[$c] )) && rss_max[$c]=$rss
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$c" "$r" "$RUN_SECONDS" "$rss" "$rate" >>"$R/runs.tsv"
        done
    done
    for c in "${CLIENTS[@]}"; do
        if (( ok[$c] )); then
            local m
            m=$(printf '%s\n' ${rates[$c]} | median)
            VAL[$row|$c]=$m
            CELL[$row|$c]="$(printf '%.0f' "$m" | commas) msg/s"
            VAL[rss_$row|$c]=$(awk -v k="${rss_max[$c]}" 'BEGIN { printf "%.2f", k / 1024 }')
            CELL[rss_$row|$c]="$(printf '%.1f' "${VAL[rss_$row|$c]}") MiB"
            log "  $c: ${CELL[$row|$c]}, peak RSS ${CELL[rss_$row|$c]}"
        else
            fail "rss_$row" "$c"
        fi
    done
}

log "(d) receiving $FLOOD_N messages of $FLOOD_SIZE bytes (client < /dev/null > file), $RUNS runs each"
bench_recv recv
# Same bytes as the raw stream? A difference is noted, not failed (the count is
# what is checked). raw runs last, so compare once its output exists.
for c in wsc websocat; do
    if [[ -n ${VAL[recv|$c]:-} && -n ${VAL[recv|raw]:-} ]] && ! cmp -s "$R/recv-$c.out" "$R/recv-raw.out"; then
        NOTES+=("$c, recv: right line count, but the output differs from the raw stream's bytes")
    fi
done

log "(g) receiving the same with the defaults (client URL < /dev/null > file), $RUNS runs each"
bench_recv recv_eof

# ------------------------------------------------------------ (f) defaults: echo hello | client URL
# Against python-websockets' echo example, whose handler echoes after the server has answered a
# close frame: a client that closes as soon as stdin ends may lose the echo. Runs alternate
# between wsc and websocat; both may print what they like, but wsc must print the echo every time.
log "(f) echo hello | client ws://127.0.0.1:$P_PY_ECHO/ (python-websockets), $DEFAULT_RUNS runs, alternating"
declare -A DEF_TIMES=() DEF_ECHOES=() DEF_RSS=()
DEF_CLIENTS=(wsc websocat)
[[ -n $WSC_ERR ]] && { fail default wsc "$WSC_ERR"; DEF_CLIENTS=(websocat); }
for c in "${DEF_CLIENTS[@]}"; do DEF_TIMES[$c]=""; DEF_ECHOES[$c]=0; DEF_RSS[$c]=0; done
for r in $(seq 1 "$DEFAULT_RUNS"); do
    for c in "${DEF_CLIENTS[@]}"; do
        bin=$WSC
        [[ $c == websocat ]] && bin=$WEBSOCAT
        timed "echo hello | timeout 20 $TIME_BIN -f %M -o $R/rss $bin ws://127.0.0.1:$P_PY_ECHO/ >$R/default-$c.out 2>$R/default-$c.err"
        rss=$(rss_of "$R/rss")
        (( ${rss:-0} > DEF_RSS[$c] )) && DEF_RSS[$c]=$rss
        [[ $(tr -d '\r' <"$R/default-$c.out") == hello ]] && DEF_ECHOES[$c]=$((DEF_ECHOES[$c] + 1))
        DEF_TIMES[$c]+="$(awk -v s="$RUN_SECONDS" 'BEGIN { printf "%.3f", s * 1000 }') "
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' default "$c" "$r" "$RUN_SECONDS" "${rss:-0}" "" >>"$R/runs.tsv"
    done
done
for c in "${DEF_CLIENTS[@]}"; do
    m=$(printf '%s\n' ${DEF_TIMES[$c]} | median)
    if [[ $c == wsc && ${DEF_ECHOES[wsc]} -ne $DEFAULT_RUNS ]]; then
        fail default wsc "printed the echo in ${DEF_ECHOES[wsc]} of $DEFAULT_RUNS runs"
        continue
    fi
    VAL[default|$c]=$m
    CELL[default|$c]="$(printf '%.2f' "$m") ms"
    VAL[rss_default|$c]=$(awk -v k="${DEF_RSS[$c]}" 'BEGIN { printf "%.2f", k / 1024 }')
    CELL[rss_default|$c]="$(printf '%.1f' "${VAL[rss_default|$c]}") MiB"
    log "  $c: median $m ms, echo printed in ${DEF_ECHOES[$c]} of $DEFAULT_RUNS runs, peak RSS ${CELL[rss_default|$c]}"
done
[[ -n ${DEF_ECHOES[websocat]:-} ]] && NOTES+=("websocat, default: printed the echo in ${DEF_ECHOES[websocat]} of $DEFAULT_RUNS runs (wsc: ${DEF_ECHOES[wsc]:-0})")

stop_servers

# ------------------------------------------------------------ table
ratio() { # ratio ROW A B
    local a=${VAL[$1|$2]:-} b=${VAL[$1|$3]:-}
    if [[ -z $a || -z $b ]]; then echo "—"; return; fi
    awk -v a="$a" -v b="$b" 'BEGIN { if (b == 0) print "—"; else printf "%.2f×\n", a / b }'
}

size_text() { if (( $1 % 1048576 == 0 )); then echo "$(($1 / 1048576)) MiB"; else echo "$1 B"; fi; }

ROWS=(lat small large recv default recv_eof rss_small rss_large rss_recv rss_default rss_recv_eof)
declare -A TITLE=(
    [lat]="(a) one-shot: connect, send, echo, exit — median (lower is better)"
    [small]="(b) send $(printf '%s' "$SMALL_N" | commas) small messages — msg/s (higher is better)"
    [large]="(c) send $LARGE_N × $(size_text "$LARGE_SIZE") messages — MB/s (higher is better)"
    [recv]="(d) receive $(printf '%s' "$FLOOD_N" | commas) × $FLOOD_SIZE B messages — msg/s (higher is better)"
    [rss_small]="(e) peak RSS in (b) (lower is better)"
    [rss_large]="(e) peak RSS in (c) (lower is better)"
    [rss_recv]="(e) peak RSS in (d) (lower is better)"
    [default]="(f) defaults: \`echo hello | client URL\`, python-websockets echo — median of $DEFAULT_RUNS (lower is better)"
    [recv_eof]="(g) defaults: receive (d) with stdin at its end, \`client URL < /dev/null\` — msg/s (higher is better)"
    [rss_default]="(e) peak RSS in (f) (lower is better)"
    [rss_recv_eof]="(e) peak RSS in (g) (lower is better)"
)

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
wsc_rev=$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')
{
    echo "# wsc benchmarks"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); wsc at $wsc_rev; $($WEBSOCAT --version 2>&1 | head -n 1); $(hyperfine --version)"
    echo "$(nproc) × $cpu; Linux $(uname -r); load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "Loopback, one C peer per benchmark; (b)-(d) are the median of $RUNS runs, wall clock of the whole client command."
    echo
    echo "| benchmark | wsc | websocat | raw TCP | wsc/websocat | wsc/raw |"
    echo "|---|---:|---:|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        printf '| %s | %s | %s | %s | %s | %s |\n' "${TITLE[$row]}" \
            "${CELL[$row|wsc]:-—}" "${CELL[$row|websocat]:-—}" "${CELL[$row|raw]:-—}" \
            "$(ratio "$row" wsc websocat)" "$(ratio "$row" wsc raw)"
    done
    echo
    VAL[recv_eof|wsc_w60]=${VAL[recv|wsc]:-}
    echo "(g) against (d): wsc with its defaults receives at $(ratio recv_eof wsc wsc_w60) the rate of \`wsc -w 60\`."
    if ((${#NOTES[@]})); then
        echo
        echo "Failures and notes:"
        for n in "${NOTES[@]}"; do echo "- $n"; done
    fi
} >"$WORK/results.md"
cat "$WORK/results.md"
log "saved to Benchmarks/.work/results.md (per-run numbers in Benchmarks/.work/tmp/runs.tsv)"

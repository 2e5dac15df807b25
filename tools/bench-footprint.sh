#!/usr/bin/env bash
# The hub's memory footprint under a household's load, measured on the whole hub as `./beeper run`
# starts it (the launcher's JVM defaults, the default test cameras): 2 headless Chromium pages and
# WebSocket (MSE) viewers from the relay bench's load client, for MINUTES; then its RSS, threads and
# the JVM's own account (Native Memory Tracking, added with JDK_JAVA_OPTIONS so the launcher's options
# stay as they are; NMT itself costs a few MB, counted under "Native Memory Tracking").
#   tools/bench-footprint.sh [MINUTES (10)] [WS VIEWERS PER CAMERA (5)]
# Needs chromium and a built jar (./beeper run builds it). Ports 18080-18082; data in a temporary folder.
# BEEPER_CDS=off: the hub without its class archive.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MINUTES="${1:-10}"
PER_CAMERA="${2:-5}"
PORT="${BEEPER_BENCH_PORT:-18080}"
WORK="$(mktemp -d /tmp/beeper-footprint.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${LOAD_IN:-}" ] && exec {LOAD_IN}>&- 2>/dev/null || true
  [ -n "${HUB:-}" ] && kill "$HUB" 2>/dev/null && wait "$HUB" 2>/dev/null || true
}
trap cleanup EXIT

# the hub as ./beeper starts it, with its class archive (BEEPER_CDS=off: without), made before the hub
# starts so it is not made in the background while the hub is measured
ARCHIVE="$ROOT/target/beeper-keeper.jsa"
if [ "${BEEPER_CDS:-on}" != off ] && { [ ! -f "$ARCHIVE" ] || [ "$ROOT/target/beeper-keeper.jar" -nt "$ARCHIVE" ]; }; then
  "$ROOT/beeper" cds-archive "$ARCHIVE"
fi

BEEPER_MQTT_PORT=$((PORT + 1)) BEEPER_WEBRTC_UDP_PORT=$((PORT + 2)) BEEPER_RTSP_PORT=0 BEEPER_RTSP_UDP_PORT=0 \
  JDK_JAVA_OPTIONS="-XX:NativeMemoryTracking=summary" \
  "$ROOT/beeper" run --port "$PORT" --data "$WORK/data" >"$WORK/hub.log" 2>&1 &
HUB=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/api/cameras" >/dev/null 2>&1 && break
  sleep 1
done
# the launcher execs java, so the hub's pid is the launcher's
echo "hub pid $HUB, log $WORK/hub.log, load $(cut -d' ' -f1-3 /proc/loadavg)"

for i in 1 2; do
  chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --autoplay-policy=no-user-gesture-required \
    --user-data-dir="$WORK/chromium-$i" --remote-debugging-port=$((PORT + 10 + i)) \
    "http://127.0.0.1:$PORT/" >"$WORK/chromium-$i.log" 2>&1 &
  PIDS+=($!)
done

CAMERAS="$(curl -sf "http://127.0.0.1:$PORT/api/cameras" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(",".join(c["name"] for c in (d if isinstance(d, list) else d["cameras"])))')"
exec {LOAD_IN}> >(java -Xmx128m -XX:+UseSerialGC -cp "$ROOT/target/beeper-keeper.jar" io.beeperkeeper.cli.RelayLoad \
  "ws://127.0.0.1:$PORT" "$CAMERAS" >"$WORK/load.log" 2>&1)
echo "viewers $PER_CAMERA" >&"$LOAD_IN"
echo "cameras $CAMERAS: 2 Chromium pages, $PER_CAMERA WebSocket viewers each; measuring $MINUTES min"

sample() {
  printf '%s min: rss %s KiB, threads %s, load %s\n' "$1" "$(ps -o rss= -p "$HUB" | tr -d ' ')" \
    "$(ps -o nlwp= -p "$HUB" | tr -d ' ')" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
for m in $(seq 1 "$MINUTES"); do
  sleep 60
  sample "$m"
done
echo stats >&"$LOAD_IN"
sleep 2
echo "load client: $(tail -1 "$WORK/load.log")"
grep -E '^(Rss|Pss_Anon|Pss_File)' "/proc/$HUB/smaps_rollup"
jcmd "$HUB" VM.native_memory summary | grep -E '^(Total|-)' | sed 's/^-  */  /'
jcmd "$HUB" GC.heap_info | grep -E 'total|Metaspace|class space'
echo "hub CPU time $(ps -o cputime= -p "$HUB"), started $(ps -o etime= -p "$HUB" | tr -d ' ') ago"
curl -sf "http://127.0.0.1:$PORT/metrics" | grep -E '^jvm_gc_pause_seconds_(count|sum)' || true
jcmd "$HUB" GC.run >/dev/null
echo "after a full GC (the live heap):"
jcmd "$HUB" GC.heap_info | grep -E 'tenured|def new'
echo "threads by name:"
jcmd "$HUB" Thread.print | awk -F'"' '/^"/ {print $2}' | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn | head -25
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"

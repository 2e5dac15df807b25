#!/usr/bin/env bash
# How soon the hub answers after `./beeper run` (the launcher's JVM defaults, the default test cameras,
# a built jar): the time from starting the launcher to the first HTTP 200 of /api/health (and the CPU
# time the JVM had used by then, steadier than wall time on a loaded machine) and of the page (/), to
# the moment every part reads "up" in /api/health, and the hub's RSS then. Each run gets a
# fresh data folder (a first start: new DTLS key, new database). One untimed run first warms the page
# cache (the jar, the JDK, ffmpeg), so the first timed run is not the only one reading from disk. Prints
# each run and the medians; with IDLE_SECONDS, the last run then stays up that long and prints its RSS
# at idle.
#   tools/bench-startup.sh [RUNS (5)] [IDLE_SECONDS (0)]
# BEEPER_JAVA_OPTS and the other launcher variables pass through; to compare with and without the AppCDS
# class archive, BEEPER_CDS=off (without). With it (the default), target/beeper-keeper.jsa is made first
# when it is missing or older than the jar, so no run makes it in the background while others are timed.
# Ports 18180-18182; data in a temporary folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
IDLE="${2:-0}"
ARCHIVE="$ROOT/target/beeper-keeper.jsa"
PORT="${BEEPER_BENCH_PORT:-18180}"
WORK="$(mktemp -d /tmp/beeper-startup.XXXXXX)"
HUB=
cleanup() {
  if [ -n "$HUB" ]; then kill "$HUB" 2>/dev/null && wait "$HUB" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$ROOT/target/beeper-keeper.jar" ] || { echo "bench-startup: build the jar first (./beeper version builds it)" >&2; exit 1; }
now_ms() { date +%s%3N; }
# first_200 URL START: milliseconds from START to the first 200 of URL (polled every 10 ms), or -1
first_200() {
  local t
  for _ in $(seq 1 6000); do
    if curl -s -o /dev/null -m 1 -w '%{http_code}' "$1" 2>/dev/null | grep -q '^200$'; then
      t=$(now_ms); echo $((t - $2)); return 0
    fi
    sleep 0.01
  done
  echo -1
}
# cpu_ms PID: the CPU time (user + system) the process has used, in milliseconds
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat" 2>/dev/null || echo -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'; }

if [ "${BEEPER_CDS:-on}" = off ]; then
  echo "class archive: none (BEEPER_CDS=off)"
else
  if [ ! -f "$ARCHIVE" ] || [ "$ROOT/target/beeper-keeper.jar" -nt "$ARCHIVE" ]; then
    "$ROOT/beeper" cds-archive "$ARCHIVE"
  fi
  echo "class archive: target/beeper-keeper.jsa, $(( $(stat -c %s "$ARCHIVE") / 1000000 )) MB"
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
: >"$WORK/health" ; : >"$WORK/cpu" ; : >"$WORK/page" ; : >"$WORK/up"
for i in $(seq 0 "$RUNS"); do
  start=$(now_ms)
  BEEPER_MQTT_PORT=$((PORT + 1)) BEEPER_WEBRTC_UDP_PORT=$((PORT + 2)) BEEPER_RTSP_PORT=0 BEEPER_RTSP_UDP_PORT=0 \
    "$ROOT/beeper" run --port "$PORT" --data "$WORK/data-$i" >"$WORK/hub-$i.log" 2>&1 &
  HUB=$!
  health=$(first_200 "http://127.0.0.1:$PORT/api/health" "$start")
  cpu=$(cpu_ms "$HUB")
  page=$(first_200 "http://127.0.0.1:$PORT/" "$start")
  up=-1
  for _ in $(seq 1 6000); do
    if curl -s -m 1 "http://127.0.0.1:$PORT/api/health" 2>/dev/null | grep -q '^{"status":"up"'; then
      up=$(( $(now_ms) - start )); break
    fi
    sleep 0.02
  done
  rss=$(ps -o rss= -p "$HUB" | tr -d ' ')
  if [ "$i" -eq 0 ]; then
    printf 'warm-up (untimed): /api/health %d ms (cpu %d ms), / %d ms, all up %d ms, rss %s KiB\n' "$health" "$cpu" "$page" "$up" "$rss"
  else
    printf 'run %d: /api/health %d ms (cpu %d ms), / %d ms, all up %d ms, rss %s KiB\n' "$i" "$health" "$cpu" "$page" "$up" "$rss"
    echo "$cpu" >>"$WORK/cpu"; echo "$health" >>"$WORK/health"; echo "$page" >>"$WORK/page"; echo "$up" >>"$WORK/up"
  fi
  if [ "$i" -eq "$RUNS" ] && [ "$IDLE" -gt 0 ]; then
    sleep "$IDLE"
    printf 'run %d after %d s idle: rss %s KiB\n' "$i" "$IDLE" "$(ps -o rss= -p "$HUB" | tr -d ' ')"
  fi
  kill "$HUB"; wait "$HUB" 2>/dev/null || true; HUB=
done
printf 'median of %d: /api/health %s ms (the JVM had used %s ms of CPU by then), / %s ms, all up %s ms\n' "$RUNS" \
  "$(median <"$WORK/health")" "$(median <"$WORK/cpu")" "$(median <"$WORK/page")" "$(median <"$WORK/up")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/bin/sh
# The CPU that motion detection's decoder costs for one 640x480@15 camera, measured as the hub runs it:
# a live-paced H.264 stream (x264 ultrafast, a keyframe a second, like the test camera) is piped into the
# decoder command of GreyDecoder, and the decoder's CPU time is read from /proc/<pid>/stat.
#   tools/bench-motion-decode.sh [seconds] [select|full|key]
#   select: the hub's command (every 7th picture scaled to 160x120, i.e. 2 a second at 15 fps)
#   full:   every picture decoded and handed over at full size (what a detector decoding everything costs)
#   key:    keyframes only (-skip_frame nokey): one picture per GOP
RUN=${1:-60}
MODE=${2:-select}
SKIP=""
case $MODE in
  select) VF="select='not(mod(n\,7))',scale=160:120:flags=fast_bilinear,format=yuv420p" ;;
  full) VF="format=yuv420p" ;;
  key) VF="scale=160:120:flags=fast_bilinear,format=yuv420p"; SKIP="-skip_frame nokey" ;;
  *) echo "mode: select, full or key" >&2; exit 2 ;;
esac
OUT=$(mktemp)
ffmpeg -hide_banner -loglevel error -re -f lavfi -i testsrc2=size=640x480:rate=15 -t $((RUN + 8)) \
    -c:v libx264 -preset ultrafast -tune zerolatency -g 15 -bf 0 -f h264 pipe:1 |
  ffmpeg -hide_banner -loglevel error -threads 1 $SKIP -probesize 32768 -analyzeduration 0 -flags low_delay \
    -f h264 -i pipe:0 -an -vf "$VF" -fps_mode passthrough -flush_packets 1 -f rawvideo pipe:1 > "$OUT" &
PID=$!
sleep 4
T0=$(awk '{print $14 + $15}' /proc/$PID/stat)
B0=$(stat -c %s "$OUT")
sleep "$RUN"
T1=$(awk '{print $14 + $15}' /proc/$PID/stat)
B1=$(stat -c %s "$OUT")
wait
rm -f "$OUT"
echo "$MODE $T0 $T1 $(getconf CLK_TCK) $RUN $B0 $B1" | awk '{
  printf "%s: decoder %.2f %% of one core over %d s, %.1f MB/s handed over\n", $1, ($3-$2)/$4/$5*100, $5, ($7-$6)/$5/1e6 }'

#!/usr/bin/env bash
# explorer-measure.sh: measures the explorer's figures for the closing note of issue 5 in a real
# terminal (tmux, 200×60, TERM=screen-256color, C.UTF-8) from the explorer's own trace
# (FGF_TRACE) and the bytes tmux sees on the pane:
#   launch: process start → first frame, and → first frame with the patient's slice and bars;
#   patient change: input → frame (wall and the UI thread's CPU), median and max over N changes;
#   bytes written to the terminal per patient change (until the new patient's view is complete);
#   time until every cohort figure is complete (bars, risks, AUCs, statistics);
#   idle CPU of the whole process over 10 s once complete.
# Usage: Tests/CLITests/explorer-measure.sh [-b FGF] [-n CHANGES] [-- explore arguments…]
#   e.g. Tests/CLITests/explorer-measure.sh -- --model /tmp/A.safetensors --model /tmp/B.safetensors
# Needs tmux. Build first: swift build -c release. Timings on a loaded machine are noisy: run it
# several times and take the median.
set -euo pipefail

fgf="$(cd "$(dirname "$0")/../.." && pwd)/.build/release/fgf"
changes=20
while getopts "b:n:" option; do
  case "$option" in
    b) fgf="$OPTARG" ;;
    n) changes="$OPTARG" ;;
    *) echo "usage: $0 [-b FGF] [-n CHANGES] [-- explore arguments…]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ -x "$fgf" ] || { echo "no fgf binary at $fgf (swift build -c release)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }

work="$(mktemp -d /tmp/fgf-measure.XXXXXX)"
socket="fgf-measure-$$"
trace="$work/trace.log"
bytes="$work/pane.bytes"
tm() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The pane waits for "go" so that pipe-pane is attached before the explorer writes anything.
quoted=""
for argument in "$fgf" explore "$@"; do quoted="$quoted '$argument'"; done
cat > "$work/run.sh" <<EOF
while [ ! -e '$work/go' ]; do sleep 0.02; done
exec env TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 FGF_TRACE='$trace' $quoted
EOF
tm new-session -d -s measure -x 200 -y 60 "sh '$work/run.sh'"
tm pipe-pane -t =measure: -o "cat >> '$bytes'"
touch "$work/go"

# Waits until the trace has a line matching the awk condition $1 (up to $2 seconds).
wait_trace() {
  local deadline=$((SECONDS + ${2:-120}))
  until [ -f "$trace" ] && awk "$1 { found = 1 } END { exit !found }" "$trace"; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for: $1" >&2; tail -5 "$trace" >&2; exit 1; }
    sleep 0.05
  done
}
size() { stat -c %s "$bytes" 2>/dev/null || echo 0; }
frames() { awk '/ frame /' "$trace" | wc -l; }
field() { awk -v key="$1" '{ for (i = 1; i < NF; i++) if ($i == key) print $(i + 1) }'; }

wait_trace '/ frame / && / image 1 figures 1/'
age=$(awk '/ start / { sub(/.*started /, ""); print $1; exit }' "$trace")
start_ms=$(awk '/ start / { print $2; exit }' "$trace")
first_ms=$(awk '/ frame / { print $2; exit }' "$trace")
full_ms=$(awk '/ frame / && / image 1 figures 1/ { print $2; exit }' "$trace")
echo "launch: process start → first frame $(awk -v a="$age" -v s="$start_ms" -v f="$first_ms" 'BEGIN { printf "%.0f", a + f - s }') ms, → first frame with slice and bars $(awk -v a="$age" -v s="$start_ms" -v f="$full_ms" 'BEGIN { printf "%.0f", a + f - s }') ms (${age} ms of it before the explorer loop started: process and runtime start, arguments, opening the cohort and the models)"

wait_trace '/ complete( |$)/' 300
done_ms=$(awk '/ complete( |$)/ { print $2; exit }' "$trace")
done_cpu=$(awk '/ complete( |$)/ { print $5; exit }' "$trace")
echo "cohort figures complete: $(awk -v a="$age" -v s="$start_ms" -v d="$done_ms" 'BEGIN { printf "%.0f", a + d - s }') ms after process start, process CPU time by then ${done_cpu:-?} ms (all threads)"

pid=$(tm display-message -p -t =measure: '#{pane_pid}')
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
sleep 1
before=$(ticks)
sleep 10
after=$(ticks)
hertz=$(getconf CLK_TCK)
echo "idle CPU over 10 s: $(awk -v t=$((after - before)) -v h="$hertz" 'BEGIN { printf "%.2f%% (%d ticks of 1/%d s)", t / h / 10 * 100, t, h }')"

# Patient changes: j, wait for the first frame that answers it and then for the new patient's
# complete view (image and figures), let output settle, and count the bytes written meanwhile.
: > "$work/changes"
for i in $(seq 1 "$changes"); do
  key=j; [ $((i % 10)) -eq 0 ] && key=k
  count=$(frames)
  before=$(size)
  tm send-keys -t =measure: "$key"
  deadline=$((SECONDS + 30))
  until [ "$(awk -v c="$count" '/ frame / { n++; if (n > c && / image 1 figures 1/) ok = 1 } END { print ok + 0 }' "$trace")" = 1 ]; do
    [ $SECONDS -lt $deadline ] || { echo "patient change $i did not complete" >&2; exit 1; }
    sleep 0.02
  done
  # Settled: no bytes for 200 ms.
  last=-1
  while [ "$(size)" != "$last" ]; do last=$(size); sleep 0.2; done
  # The first frame after the key that answers an input (a result may have drawn one before).
  answer=$(awk -v c="$count" '/ frame / { n++; if (n > c && / input / && !done) { print; done = 1 } }' "$trace")
  echo "$(echo "$answer" | field input) $(echo "$answer" | field cpu) $(( $(size) - before ))" >> "$work/changes"
done
# Median and maximum of column $1 of the changes.
median() { cut -d' ' -f"$1" "$work/changes" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maximum() { cut -d' ' -f"$1" "$work/changes" | sort -g | tail -1; }
echo "patient change ($changes at 200x60): key → frame median $(median 1) ms, max $(maximum 1) ms;" \
  "UI-thread CPU median $(median 2) ms, max $(maximum 2) ms; bytes written per change median $(median 3), max $(maximum 3)"
tm send-keys -t =measure: q

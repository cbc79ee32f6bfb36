#!/usr/bin/env bash
# Soak test: serves the fixture MNIST MLP on 127.0.0.1 and sends inference requests at a fixed
# rate for a set duration. Every 10 s it samples the daemon's resident memory (VmRSS), open file
# descriptors and threads into a CSV. At the end it prints a verdict on growth over the second half.
#
# Usage: scripts/soak.sh [--duration SECONDS] [--rate REQUESTS_PER_SECOND] [--csv PATH]
#   --duration  run time in seconds, 20 to 21600 (6 h); default 600
#   --rate      requests per second, 1 to 500; default 50
#   --csv       sample file; default soak-<UTC time>.csv in the current folder
# Fixtures come from $MONITOR_FIXTURES, else ../shared/fixtures beside the repository.
# Exit status: 0 when, over the second half, RSS grew less than 10 % and open descriptors by at
# most 8, and every request got 200; 1 otherwise; 2 on a usage or start error.
set -euo pipefail

duration=600
rate=50
csv="soak-$(date -u +%Y%m%dT%H%M%SZ).csv"
max_duration=21600
interval=10

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --csv) csv="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option '$1'; see --help." >&2; exit 2 ;;
  esac
done

if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 20 ] || [ "$duration" -gt "$max_duration" ]; then
  echo "soak.sh: --duration must be an integer from 20 to $max_duration seconds, got '$duration'." >&2
  exit 2
fi
if ! [[ "$rate" =~ ^[0-9]+$ ]] || [ "$rate" -lt 1 ] || [ "$rate" -gt 500 ]; then
  echo "soak.sh: --rate must be an integer from 1 to 500 requests per second, got '$rate'." >&2
  exit 2
fi

# a relative --csv path is taken from the caller's folder, before the script moves to the repository root
csv="$(realpath -m "$csv")"
cd "$(dirname "$0")/.."

fixtures="${MONITOR_FIXTURES:-$(cd .. && pwd)/shared/fixtures}"
model="$fixtures/keras-mnist-mlp-784-300-50-10.onnx"
images="$fixtures/mnist-t10k-images.idx3-ubyte.gz"
for file in "$model" "$images"; do
  [ -f "$file" ] || { echo "soak.sh: fixture '$file' is missing; set MONITOR_FIXTURES to the fixtures folder." >&2; exit 2; }
done

work="$(mktemp -d)"
daemon_pid=""
load_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/repository/mnist/1"
ln -s "$model" "$work/repository/mnist/1/model.onnx"

# the first t10k image (a 7) as raw pixel values, which is what this model was trained on
# (pipefail off here: zcat gets SIGPIPE once head has its bytes)
pixels="$(set +o pipefail; zcat "$images" | head -c 800 | tail -c 784 | od -An -v -tu1 | tr -s ' \n' ',' | sed 's/^,//; s/,$//')"
printf '{"inputs":[{"name":"flatten_input","shape":[1,28,28,1],"datatype":"FP32","data":[%s]}]}' "$pixels" > "$work/body.json"

dotnet build src/Monitor -c Release -v quiet -nologo >/dev/null
http_port=$((20000 + RANDOM % 20000))
metrics_port=$((http_port + 1))
dotnet src/Monitor/bin/Release/net10.0/monitor.dll serve --repository "$work/repository" --listen 127.0.0.1 \
  --http-port "$http_port" --metrics-port "$metrics_port" --execution-provider cpu >"$work/daemon.log" 2>&1 &
daemon_pid=$!

url="http://127.0.0.1:$http_port"
for _ in $(seq 1 120); do
  curl -sf "$url/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || { echo "soak.sh: the daemon exited; its log:" >&2; cat "$work/daemon.log" >&2; exit 2; }
  sleep 0.5
done
curl -sf "$url/v2/health/ready" >/dev/null || { echo "soak.sh: the daemon was not ready after 60 s." >&2; exit 2; }

# one curl per second sends that second's requests over one keep-alive connection; a second
# whose batch is still running is skipped, so the achieved rate can fall below --rate
# curl applies -o to one URL each, so every URL gets its own
urls="$(for _ in $(seq 1 "$rate"); do printf -- '-o /dev/null %s ' "$url/v2/models/mnist/infer"; done)"
load() {
  local end=$((SECONDS + duration))
  local batch=""
  while [ "$SECONDS" -lt "$end" ]; do
    local tick=$SECONDS
    if [ -z "$batch" ] || ! kill -0 "$batch" 2>/dev/null; then
      # shellcheck disable=SC2086
      curl -s -w '%{http_code}\n' -H 'Content-Type: application/json' --data-binary "@$work/body.json" $urls >>"$work/statuses" &
      batch=$!
    fi
    while [ "$SECONDS" -eq "$tick" ]; do sleep 0.05; done
  done
  wait
}
: >"$work/statuses"
load &
load_pid=$!

echo "elapsed_s,rss_kib,open_fds,threads,requests_ok,requests_failed" >"$csv"
started=$SECONDS
while [ $((SECONDS - started)) -lt "$duration" ]; do
  sleep "$interval"
  kill -0 "$daemon_pid" 2>/dev/null || { echo "soak.sh: the daemon exited during the run; its log:" >&2; tail -20 "$work/daemon.log" >&2; exit 1; }
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$daemon_pid/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$daemon_pid/status")
  fds=$(find "/proc/$daemon_pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
  ok=$(grep -c '^200$' "$work/statuses" || true)
  failed=$(grep -vc '^200$' "$work/statuses" || true)
  echo "$((SECONDS - started)),$rss,$fds,$threads,$ok,$failed" | tee -a "$csv"
done
wait "$load_pid" 2>/dev/null || true
load_pid=""

# verdict: compare the first sample of the second half with the last sample
read -r mid_rss mid_fds < <(awk -F, -v half=$((duration / 2)) 'NR > 1 && $1 >= half {print $2, $3; exit}' "$csv")
read -r last_rss last_fds ok failed < <(tail -1 "$csv" | awk -F, '{print $2, $3, $5, $6}')
growth=$(awk -v a="$mid_rss" -v b="$last_rss" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
fd_growth=$((last_fds - mid_fds))
echo "requests: $ok answered 200, $failed other; achieved rate $(awk -v n="$ok" -v d="$duration" 'BEGIN {printf "%.1f", n / d}')/s of $rate/s requested"
echo "RSS second half: $mid_rss KiB -> $last_rss KiB ($growth %); open fds: $mid_fds -> $last_fds"
if awk -v g="$growth" 'BEGIN {exit !(g < 10)}' && [ "$fd_growth" -le 8 ] && [ "$failed" -eq 0 ]; then
  echo "verdict: PASS (RSS growth under 10 %, fd growth at most 8, no failed request); samples in $csv"
else
  echo "verdict: FAIL (limits: RSS growth under 10 %, fd growth at most 8, no failed request); samples in $csv"
  exit 1
fi

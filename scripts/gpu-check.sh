#!/usr/bin/env bash
# Checks the CUDA path on a Linux machine with an NVIDIA GPU, the CUDA 13 driver, and CUDA 13 and
# cuDNN 9 as Python nvidia-* wheels (or system libraries), with no .NET SDK and no network.
# Runs from the bundle that scripts/build-gpu-check-bundle.sh makes, in under 8 minutes:
#   1. starts the daemon with --execution-provider cuda and checks that the model metadata and
#      the monitor_model_loaded metric name CUDAExecutionProvider;
#   2. sends the same 200 MNIST rows to it and to a CPU daemon and compares the outputs;
#   3. runs the load driver (raw ONNX Runtime on CUDA against the daemon) and prints its table.
#
# usage: gpu-check.sh [bundle folder, default: this script's folder]
# PROVIDER=cpu runs the same steps on CPU, to rehearse the script on a machine without a GPU.
set -euo pipefail

bundle="$(cd "${1:-$(dirname "$0")}" && pwd)"
provider="${PROVIDER:-cuda}"
expected_provider="CUDAExecutionProvider"
[ "$provider" = "cpu" ] && expected_provider="CPUExecutionProvider"

# ONNX Runtime's CUDA provider needs cublas, cublasLt, cudart, curand and cuDNN on the library path
if command -v python3 >/dev/null 2>&1; then
  wheel_libs="$(python3 - <<'PY' 2>/dev/null || true
import glob, os, site
paths = []
for root in site.getsitepackages() + [site.getusersitepackages()]:
    paths += glob.glob(os.path.join(root, "nvidia", "*", "lib"))
print(":".join(sorted(set(paths))))
PY
)"
  export LD_LIBRARY_PATH="${wheel_libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

start_daemon() { # provider http-port metrics-port log
  "$bundle/bin/monitor" serve --repository "$bundle/repository" --execution-provider "$1" \
    --listen 127.0.0.1 --http-port "$2" --metrics-port "$3" >"$4" 2>&1 &
  pids+=("$!")
}

start_daemon "$provider" 18000 19464 "$bundle/daemon-$provider.log"
start_daemon cpu 18001 19465 "$bundle/daemon-cpu.log"

python3 - "$bundle" "$expected_provider" <<'PY'
import json, sys, time, urllib.request

bundle, expected = sys.argv[1], sys.argv[2]
accel, cpu = "http://127.0.0.1:18000", "http://127.0.0.1:18001"

def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()

def post(url, body):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())

deadline = time.time() + 180
for base in (accel, cpu):
    while True:
        try:
            if json.loads(get(base + "/v2/health/ready"))["ready"]:
                break
        except Exception:
            pass
        if time.time() > deadline:
            sys.exit(f"FAIL: {base} did not become ready within 180 s; see the daemon logs in {bundle}")
        time.sleep(0.5)

failures = 0
for model in ("mnist-mlp", "mnist-cnn"):
    provider = json.loads(get(f"{accel}/v2/models/{model}"))["parameters"]["execution_provider"]
    print(f"{model}: execution provider {provider}")
    if provider != expected:
        print(f"FAIL: {model} runs on {provider}, expected {expected}")
        failures += 1

metrics = get("http://127.0.0.1:19464/metrics")
loaded = [line for line in metrics.splitlines() if line.startswith("monitor_model_loaded")]
print("\n".join(loaded))
if not all(f'provider="{expected}"' in line for line in loaded) or not loaded:
    print(f"FAIL: monitor_model_loaded does not show provider {expected}")
    failures += 1

for model in ("mnist-mlp", "mnist-cnn"):
    body = open(f"{bundle}/{model}-request.json", "rb").read()
    a = post(f"{accel}/v2/models/{model}/infer", body)["outputs"][0]["data"]
    c = post(f"{cpu}/v2/models/{model}/infer", body)["outputs"][0]["data"]
    difference = max(abs(x - y) for x, y in zip(a, c))
    top_a = [max(range(10), key=lambda k: a[r * 10 + k]) for r in range(200)]
    top_c = [max(range(10), key=lambda k: c[r * 10 + k]) for r in range(200)]
    same = sum(x == y for x, y in zip(top_a, top_c))
    print(f"{model}: max |{expected} - CPU| = {difference:.2e}; top-1 equal on {same}/200 rows")
    if difference > 1e-3 or same != 200:
        print(f"FAIL: {model} predictions differ from CPU beyond 1e-3")
        failures += 1

sys.exit(1 if failures else 0)
PY

cleanup
pids=()

for model in mnist-mlp mnist-cnn; do
  echo
  timeout 150 "$bundle/bin/Monitor.LoadDriver" "$bundle/repository/$model/1/model.onnx" 3 64 "$provider"
done
echo
echo "gpu-check: PASS ($expected_provider)"

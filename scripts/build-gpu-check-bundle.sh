#!/usr/bin/env bash
# Builds the bundle that scripts/gpu-check.sh runs on a GPU machine with no .NET SDK and no
# network: a self-contained linux-x64 publish of the daemon and the load driver (with ONNX
# Runtime's CUDA provider), two fixture models and 200 MNIST rows as requests.
#
# usage: scripts/build-gpu-check-bundle.sh [output folder, default artifacts/gpu-check]
# The fixtures come from $MONITOR_FIXTURES or ../shared/fixtures; the bundle is for testing only
# and is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/gpu-check}"
fixtures="${MONITOR_FIXTURES:-../shared/fixtures}"
rm -rf "$out"
mkdir -p "$out/repository/mnist-mlp/1" "$out/repository/mnist-cnn/1"

dotnet publish src/Monitor -c Release -r linux-x64 --self-contained -p:DebugType=none -o "$out/bin" >/dev/null
dotnet publish benchmarks/Monitor.LoadDriver -c Release -r linux-x64 --self-contained -p:DebugType=none -o "$out/bin" >/dev/null

cp "$fixtures/keras-mnist-mlp-784-300-50-10.onnx" "$out/repository/mnist-mlp/1/model.onnx"
cp "$fixtures/keras-mnist-cnn-nhwc.onnx" "$out/repository/mnist-cnn/1/model.onnx"
echo '{ "input": { "scale": 0.00392156862745098 } }' > "$out/repository/mnist-cnn/monitor.json"

# 200 test images as one request per model, so that CPU and CUDA answers can be compared
python3 - "$fixtures/mnist-t10k-images.idx3-ubyte.gz" "$out" <<'PY'
import gzip, json, sys
images = gzip.open(sys.argv[1]).read()[16:16 + 200 * 784]
data = list(images)
for model, name in (("mnist-mlp", "flatten_input"), ("mnist-cnn", "conv2d_5_input")):
    request = {"inputs": [{"name": name, "shape": [200, 28, 28, 1], "datatype": "FP32", "data": data}]}
    with open(f"{sys.argv[2]}/{model}-request.json", "w") as file:
        json.dump(request, file)
PY

cp scripts/gpu-check.sh "$out/"
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
du -sh "$out" "$out.tar.gz"

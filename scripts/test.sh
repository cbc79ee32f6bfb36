#!/usr/bin/env bash
# Runs every test of the solution against real parts: ONNX Runtime, the fixture models in
# ../shared/fixtures (or $MONITOR_FIXTURES), a real Prometheus and promtool. Installs the
# Debian packages it needs first, then prints one summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-dependencies.sh || { echo "Installing the test dependencies failed."; exit 1; }

log="$(mktemp)"
dotnet test Monitor.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0
failed=0
skipped=0
while read -r line; do
  p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
  f=$(sed -E 's/.*Failed: *([0-9]+),.*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
done < <(grep -E "(Passed|Failed|Skipped)! +- Failed: " "$log")
rm -f "$log"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status before reporting failures (a build error?)."
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

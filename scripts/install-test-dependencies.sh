#!/usr/bin/env bash
# Installs the Debian packages the test suite runs against: a real Prometheus server and
# promtool, Go with the Sprig template library for rendering the Helm chart, yamllint, and
# Chromium for the status page check. Runs apt-get only when a package is missing.
set -euo pipefail

packages=(
  prometheus
  golang-go
  golang-github-masterminds-sprig-dev
  yamllint
  golang-github-xeipuuv-gojsonschema-dev
  golang-k8s-sigs-yaml-dev
  chromium
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# Node.js may come from another source than Debian (with npm bundled); install Debian's only when absent
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

install_npm_packages() {
  # schemas of Kubernetes and Prometheus Operator objects for the chart checks
  (cd tests/chart-render/validate && npm ci --no-audit --no-fund --loglevel=error)
}

if [ "${#missing[@]}" -eq 0 ]; then
  install_npm_packages
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# the Debian package may start its own Prometheus on :9090; the tests start their own servers
if pgrep -x prometheus >/dev/null 2>&1; then
  $sudo pkill -x prometheus || true
fi

install_npm_packages

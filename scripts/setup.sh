#!/usr/bin/env bash
# Installs everything this project needs: Debian's packages (apt-get, skipped when present) and
# the npm packages of the browser tests (npm ci, skipped when node_modules is up to date).
# Idempotent. Run as root, or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libspdlog-dev libfmt-dev
  emscripten binaryen nodejs
  chromium
  libglfw3-dev libimgui-dev libgl1-mesa-dri xvfb libstb-dev
  libcaf-dev
  clang libclang-rt-14-dev
  libboost-dev libmsgpack-cxx-dev libssl-dev openssl etcd-server nlohmann-json3-dev
  ccache
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages already installed"
else
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The WebAssembly dashboard compiles ImGui from source; Debian ships those only as a source package.
bash scripts/fetch_imgui.sh

# playwright-core drives Debian's chromium in the browser tests; it never downloads a browser.
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
echo "setup: done"

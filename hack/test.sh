#!/usr/bin/env bash
# make test: the unit tier, the control-plane tier and the real-node tier. The control plane and the real node are
# built first (cached after the first time) so that their builds show in the log; the tests start them, or use
# GRIDSEARCH_TEST_KUBECONFIG's cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${GRIDSEARCH_TEST_KUBECONFIG:-}" ]]; then
  hack/controlplane.sh build
  # The real-node tier (RealNodeIT): kubelet, Debian packages and images, built here so that their cost shows.
  if ! hack/realnode.sh build; then
    echo "[test] THE REAL NODE CANNOT BE BUILT HERE (see above): RealNodeIT will fail, saying why" >&2
  fi
fi
# The tools the metrics, alert-rule, Argo CD health and offline manifest tests run; installed when missing.
hack/test-tools.sh
mvn -B -ntp verify

#!/usr/bin/env bash
# make test: the unit tier and the control-plane tier. The control plane is built first (cached after the first
# time) so its build shows in the log; the tests start it, or use GRIDSEARCH_TEST_KUBECONFIG's cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${GRIDSEARCH_TEST_KUBECONFIG:-}" ]]; then
  hack/controlplane.sh build
fi
# The tools the metrics, alert-rule, Argo CD health and offline manifest tests run; installed when missing.
hack/test-tools.sh
mvn -B -ntp verify

#!/usr/bin/env bash
# make run: the operator on a cluster, with examples/quickstart.yaml.
# Uses $KUBECONFIG when it names a reachable cluster; otherwise brings up the local control plane.
# GRIDSEARCH_RUN_ONCE=1 stops the operator and exits once the example search has finished.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[run] $*" >&2; }

log "building the operator (mvn package)"
mvn -B -ntp -q -DskipTests package

KUBECTL="$(hack/controlplane.sh bin-dir 2>/dev/null)/kubectl"
if [[ -n "${KUBECONFIG:-}" ]] && [[ -x "$KUBECTL" || -n "$(command -v kubectl)" ]] \
    && { [[ -x "$KUBECTL" ]] || KUBECTL=kubectl; "$KUBECTL" version --request-timeout=5s >/dev/null 2>&1; }; then
  log "using the cluster of KUBECONFIG=$KUBECONFIG"
else
  log "no cluster configured: starting the local control plane (first time: builds it, ~7-9 minutes)"
  hack/controlplane.sh up >/dev/null
  eval "$(hack/controlplane.sh env)"
  KUBECTL="$(hack/controlplane.sh bin-dir)/kubectl"
fi
export KUBECONFIG

log "installing the CRD"
"$KUBECTL" apply --server-side --force-conflicts -f crd/gridsearches.gridsearch.dev-v1.yml >/dev/null
"$KUBECTL" wait --for=condition=Established crd/gridsearches.gridsearch.dev --timeout=60s >/dev/null

OPERATOR_LOG="$(mktemp -t gridsearch-operator.XXXXXX.log)"
log "starting the operator (log: $OPERATOR_LOG)"
java -jar operator/target/gridsearch-operator.jar --http-port="${GRIDSEARCH_HTTP_PORT:-8080}" >"$OPERATOR_LOG" 2>&1 &
OPERATOR_PID=$!
trap 'kill $OPERATOR_PID 2>/dev/null || true' EXIT

log "applying examples/quickstart.yaml (namespace default)"
"$KUBECTL" delete gridsearch quickstart -n default --ignore-not-found --wait=true >/dev/null
"$KUBECTL" apply -n default -f examples/quickstart.yaml >/dev/null

phase=""
while [[ "$phase" != "Succeeded" && "$phase" != "Failed" ]]; do
  kill -0 "$OPERATOR_PID" 2>/dev/null || { log "the operator exited:"; tail -50 "$OPERATOR_LOG" >&2; exit 1; }
  sleep 2
  "$KUBECTL" get gridsearch quickstart -n default --no-headers 2>/dev/null || true
  phase="$("$KUBECTL" get gridsearch quickstart -n default -o jsonpath='{.status.phase}' 2>/dev/null || true)"
done

echo
"$KUBECTL" get gridsearch quickstart -n default
echo
echo "best trial and leaderboard:"
"$KUBECTL" get gridsearch quickstart -n default -o jsonpath='{.status.best}{"\n"}{range .status.leaderboard[*]}  trial {.trial}: {.value} {.parameters}{"\n"}{end}'
echo
echo "results: kubectl get configmaps -n default -l gridsearch.dev/name=quickstart"
if [[ "${GRIDSEARCH_RUN_ONCE:-0}" == 1 ]]; then
  exit 0
fi
log "the operator keeps running (Ctrl-C stops it); apply more searches with: KUBECONFIG=$KUBECONFIG kubectl apply -f ..."
wait "$OPERATOR_PID"

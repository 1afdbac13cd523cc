#!/usr/bin/env bash
# make run: the operator on a cluster, and an example search followed to its leaderboard.
# - $KUBECONFIG names a reachable cluster: that cluster, with examples/quickstart.yaml.
# - Otherwise the local control plane (hack/controlplane.sh). Where a real node can run there (root, runc works:
#   hack/realnode.sh check), it joins one and runs examples/sklearn-digits.yaml: real scikit-learn training.
#   Elsewhere it says why and runs examples/quickstart.yaml on kwok's simulated nodes.
# GRIDSEARCH_RUN_EXAMPLE=<file> picks the example; GRIDSEARCH_RUN_ONCE=1 exits once it has finished.
# The cluster keeps running afterwards; `make down` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[run] $*" >&2; }
LOGS="$(mktemp -d -t gridsearch-run.XXXXXX)"

# step <label> <command...>: output to a log file (shown when it fails), elapsed time meanwhile.
step() {
  local label="$1"; shift
  local out="${LOGS}/$(echo "${label}" | tr -c 'a-z0-9\n' '-' | cut -c1-40).log" t0=${SECONDS} rc=0 last=${SECONDS}
  "$@" >"${out}" 2>&1 &
  local pid=$!
  while kill -0 "${pid}" 2>/dev/null; do
    if [[ -t 2 ]]; then
      printf '\r[run] %s: %dm%02ds ' "${label}" $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60)) >&2
    elif (( SECONDS - last >= 30 )); then
      log "${label}: $((SECONDS - t0))s"; last=${SECONDS}
    fi
    sleep 1
  done
  wait "${pid}" || rc=$?
  [[ ! -t 2 ]] || printf '\r\033[K' >&2
  if (( rc != 0 )); then
    # raw ANSI codes (Maven 3.8's -q leaves some) would garble the console
    sed 's/\x1b\[[0-9;]*m//g' "${out}" | tail -n 40 >&2
    log "${label} failed (exit ${rc}); full log: ${out}"
    exit "${rc}"
  fi
  log "${label}: done in $((SECONDS - t0))s"
}

JAR=operator/target/gridsearch-operator.jar
if [[ -f "${JAR}" && -z "$(find pom.xml operator/pom.xml operator/src/main -newer "${JAR}" -print -quit)" ]]; then
  log "the operator is up to date (${JAR})"
else
  step "building the operator (mvn package)" mvn -B -ntp -q -DskipTests -pl operator package
fi

KUBECTL="$(hack/controlplane.sh bin-dir 2>/dev/null)/kubectl"
LOCAL=0 REAL=0
if [[ -n "${KUBECONFIG:-}" ]] && [[ -x "$KUBECTL" || -n "$(command -v kubectl)" ]] \
    && { [[ -x "$KUBECTL" ]] || KUBECTL=kubectl; "$KUBECTL" version --request-timeout=5s >/dev/null 2>&1; }; then
  log "using the cluster of KUBECONFIG=$KUBECONFIG"
else
  LOCAL=1
  if why="$(hack/realnode.sh check 2>&1)"; then
    REAL=1
    # the images build from Debian packages (mostly downloads) while Kubernetes compiles
    { if hack/images.sh build; then echo 0; else echo $?; fi > "${LOGS}/images.rc"; } >"${LOGS}/images.log" 2>&1 &
  else
    log "NO REAL NODE: ${why##*ERROR: }"
    [[ -n "${GRIDSEARCH_RUN_EXAMPLE:-}" ]] \
      || log "falling back to examples/quickstart.yaml on kwok's simulated nodes: its numbers come from pod annotations, not from training"
  fi
  if hack/controlplane.sh env >/dev/null 2>&1 && hack/controlplane.sh status >/dev/null 2>&1; then
    step "starting the local control plane (already up)" hack/controlplane.sh up
  else
    log "no cluster configured: the local control plane (first time: builds Kubernetes from source, about 7 minutes)"
    step "building and starting the local control plane" hack/controlplane.sh up
  fi
  eval "$(hack/controlplane.sh env)"
  KUBECTL="$(hack/controlplane.sh bin-dir)/kubectl"
  if [[ "${REAL}" == 1 ]]; then
    step "building the trial images (first time: about 2 minutes)" bash -c \
      'until [[ -s "$1" ]]; do sleep 1; done; rc="$(cat "$1")"; ((rc == 0)) || cat "$2"; exit "${rc}"' \
      _ "${LOGS}/images.rc" "${LOGS}/images.log"
    step "joining a real node: kubelet, containerd, runc (first time: about 1 minute)" hack/realnode.sh up
  fi
fi
export KUBECONFIG

EXAMPLE=examples/quickstart.yaml
[[ "${REAL}" == 0 ]] || EXAMPLE=examples/sklearn-digits.yaml
EXAMPLE="${GRIDSEARCH_RUN_EXAMPLE:-${EXAMPLE}}"
NAME="$(sed -n 's/^  name: *//p' "${EXAMPLE}" | head -1)"

# The leaderboard from the status: points with mean ± std (trials, for searches without folds or repeats).
read -r -d '' LEADERBOARD_PY <<'PY' || true
import json, sys
rows = json.load(sys.stdin).get("status", {}).get("leaderboard") or []
what = "point" if rows and "point" in rows[0] else "trial"
spread = any("std" in r for r in rows)
print("leaderboard (mean ± std over each point's trials):" if spread else "leaderboard:")
for rank, r in enumerate(rows, 1):
    value = "%.4f" % r["value"]
    if "std" in r:
        value += " ± %.4f (n=%s)" % (r["std"], r.get("n", 1))
    params = "  ".join("%s=%s" % kv for kv in r.get("parameters", {}).items())
    print("  %2s. %s %-3s %s   %s" % (r.get("rank", rank), what, r.get(what), value, params))
PY

log "installing the CRD"
"$KUBECTL" apply --server-side --force-conflicts -f crd/gridsearches.gridsearch.dev-v1.yml >/dev/null
"$KUBECTL" wait --for=condition=Established crd/gridsearches.gridsearch.dev --timeout=60s >/dev/null

OPERATOR_LOG="${LOGS}/operator.log"
log "starting the operator (log: $OPERATOR_LOG)"
java -jar "${JAR}" --http-port="${GRIDSEARCH_HTTP_PORT:-8080}" >"$OPERATOR_LOG" 2>&1 &
OPERATOR_PID=$!
stop_hint() {
  kill "$OPERATOR_PID" 2>/dev/null || true
  [[ "${LOCAL}" == 0 ]] || log "the local control plane keeps running; stop it with: make down"
}
trap stop_hint EXIT

log "applying ${EXAMPLE} (namespace default)"
"$KUBECTL" delete gridsearch "${NAME}" -n default --ignore-not-found --wait=true >/dev/null
"$KUBECTL" apply -n default -f "${EXAMPLE}" >/dev/null

phase="" last=""
while [[ "$phase" != "Succeeded" && "$phase" != "Failed" ]]; do
  kill -0 "$OPERATOR_PID" 2>/dev/null || { log "the operator exited:"; tail -50 "$OPERATOR_LOG" >&2; exit 1; }
  sleep 2
  line="$("$KUBECTL" get gridsearch "${NAME}" -n default --no-headers 2>/dev/null || true)"
  # a line when something but the age changed
  if [[ -n "${line}" && "$(awk '{$NF=""; print}' <<<"${line}")" != "${last}" ]]; then
    echo "${line}"
    last="$(awk '{$NF=""; print}' <<<"${line}")"
  fi
  phase="$("$KUBECTL" get gridsearch "${NAME}" -n default -o jsonpath='{.status.phase}' 2>/dev/null || true)"
done

echo
"$KUBECTL" get gridsearch "${NAME}" -n default
echo
"$KUBECTL" get gridsearch "${NAME}" -n default -o json | python3 -c "${LEADERBOARD_PY}"
echo
if [[ "${LOCAL}" == 1 ]]; then
  echo "results:  hack/controlplane.sh kubectl get configmaps -n default -l gridsearch.dev/name=${NAME} -o yaml"
  echo "kubectl:  eval \"\$(hack/controlplane.sh env)\"   # then kubectl, helm... use the local control plane"
else
  echo "results:  kubectl get configmaps -n default -l gridsearch.dev/name=${NAME} -o yaml"
fi
if [[ "${GRIDSEARCH_RUN_ONCE:-0}" == 1 ]]; then
  exit 0
fi
log "the operator keeps running (Ctrl-C stops it); apply more searches with: KUBECONFIG=$KUBECONFIG kubectl apply -f ..."
wait "$OPERATOR_PID"

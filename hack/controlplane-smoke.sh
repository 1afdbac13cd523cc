#!/usr/bin/env bash
# Smoke checks for the local control plane (hack/controlplane.sh).
# Brings the cluster up if needed (idempotent), runs the checks in throw-away
# namespaces, deletes them again, and exits non-zero if any check fails.
#
# Usage: hack/controlplane-smoke.sh
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CP="${HACK_DIR}/controlplane.sh"

"${CP}" up >/dev/null
eval "$("${CP}" env)"
export KUBECONFIG
KUBECTL="$("${CP}" bin-dir)/kubectl"
k() { "${KUBECTL}" "$@"; }

SUFFIX="$(date +%s)-$$"
NS="gs-smoke-${SUFFIX}"
NS_QUOTA="gs-smoke-quota-${SUFFIX}"
NS_PSA="gs-smoke-psa-${SUFFIX}"
CRD_GROUP="smoke.gridsearch.dev"
CRD_NAME="widgets.${CRD_GROUP}"
IMAGE="registry.k8s.io/pause:3.10"

PASSED=0
FAILED=0
FAILURES=()

log() { echo "[smoke] $*" >&2; }
pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$*"); echo "FAIL: $*"; }

# check <description> <command...>: runs a check function, records pass/fail
check() {
  local what="$1"; shift
  local t0=${SECONDS}
  log "checking: ${what}"
  if "$@"; then pass "${what} ($((SECONDS - t0))s)"; else fail "${what} ($((SECONDS - t0))s)"; fi
}

# wait_for <timeout-seconds> <command...>
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.5
  done
}

cleanup() {
  k delete namespace "${NS}" "${NS_QUOTA}" "${NS_PSA}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  k delete crd "${CRD_NAME}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
}
trap cleanup EXIT

sa_ready() { k -n "$1" get serviceaccount default; }
for ns in "${NS}" "${NS_QUOTA}" "${NS_PSA}"; do
  k create namespace "${ns}" >/dev/null
  wait_for 60 sa_ready "${ns}" || { echo "FAIL: no default service account in ${ns}"; exit 1; }
done

# job_manifest <ns> <name> <annotations-yaml (indented 8)> [extra spec lines] [containers]
job() {
  local ns="$1" name="$2" annotations="$3" spec_extra="${4:-}" containers="${5:-1}"
  local c ctrs=""
  for ((c = 0; c < containers; c++)); do
    ctrs+="
      - name: c${c}
        image: ${IMAGE}"
  done
  k apply -f - >/dev/null <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  backoffLimit: 0
${spec_extra}
  template:
    metadata:
      annotations:
        gridsearch.dev/smoke: "true"
${annotations}
    spec:
      restartPolicy: Never
      containers:${ctrs}
EOF
}

job_condition() { # job_condition <ns> <job> <type> -> prints status of the condition
  k -n "$1" get job "$2" -o jsonpath="{.status.conditions[?(@.type==\"$3\")].status}"
}
job_is() { [[ "$(job_condition "$1" "$2" "$3")" == "True" ]]; }
pod_of() { k -n "$1" get pods -l "job-name=$2" -o jsonpath="{.items[0]$3}"; }
seconds_between() { echo $(( $(date -d "$2" +%s) - $(date -d "$1" +%s) )); }

# --- 1. message + duration --------------------------------------------------
check_message() {
  local msg='{"acc": 0.9}'
  job "${NS}" msg '        sim.gridsearch.dev/message: '"'${msg}'"'
        sim.gridsearch.dev/duration: 2s' "" 2
  wait_for 60 job_is "${NS}" msg Complete || { log "job msg not Complete"; return 1; }
  local m0 m1 started finished
  m0="$(pod_of "${NS}" msg '.status.containerStatuses[0].state.terminated.message')"
  m1="$(pod_of "${NS}" msg '.status.containerStatuses[1].state.terminated.message')"
  started="$(pod_of "${NS}" msg '.status.containerStatuses[0].state.terminated.startedAt')"
  finished="$(pod_of "${NS}" msg '.status.containerStatuses[0].state.terminated.finishedAt')"
  log "messages: [${m0}] [${m1}], ran ${started} -> ${finished}"
  [[ "${m0}" == "${msg}" && "${m1}" == "${msg}" ]] || { log "unexpected termination message"; return 1; }
  local d; d="$(seconds_between "${started}" "${finished}")"
  (( d >= 1 && d <= 5 )) || { log "pod ran ${d}s, expected ~2s"; return 1; }
}
check "Job with sim.gridsearch.dev/message and duration 2s completes; message in containerStatuses[0] and [1]" check_message

# --- 2. exit code -> BackoffLimitExceeded -----------------------------------
check_exit_code() {
  job "${NS}" fail '        sim.gridsearch.dev/exit-code: "3"
        sim.gridsearch.dev/message: boom'
  wait_for 60 job_is "${NS}" fail Failed || { log "job fail not Failed"; return 1; }
  local reason code phase
  reason="$(k -n "${NS}" get job fail -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason}')"
  code="$(pod_of "${NS}" fail '.status.containerStatuses[0].state.terminated.exitCode')"
  phase="$(pod_of "${NS}" fail '.status.phase')"
  log "reason=${reason} exitCode=${code} phase=${phase}"
  [[ "${reason}" == BackoffLimitExceeded && "${code}" == 3 && "${phase}" == Failed ]]
}
check "Job with sim.gridsearch.dev/exit-code=3 and backoffLimit 0 fails with BackoffLimitExceeded" check_exit_code

# --- 3. ResourceQuota --------------------------------------------------------
quota_ready() { [[ -n "$(k -n "${NS_QUOTA}" get resourcequota pods -o jsonpath='{.status.hard.pods}')" ]]; }
check_quota() {
  k -n "${NS_QUOTA}" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ResourceQuota
metadata:
  name: pods
spec:
  hard:
    pods: "2"
EOF
  wait_for 30 quota_ready || { log "quota status not populated"; return 1; }
  job "${NS_QUOTA}" wide '        sim.gridsearch.dev/duration: 10s' '  parallelism: 4
  completions: 4
  backoffLimit: 6'
  local max=0 n deadline=$((SECONDS + 15))
  while (( SECONDS < deadline )); do
    n="$(k -n "${NS_QUOTA}" get pods -l job-name=wide --field-selector=status.phase!=Succeeded,status.phase!=Failed -o name | wc -l)"
    (( n > max )) && max=${n}
    sleep 0.5
  done
  local events
  events="$(k -n "${NS_QUOTA}" get events --field-selector reason=FailedCreate -o jsonpath='{range .items[*]}{.message}{"\n"}{end}')"
  log "max concurrent pods=${max}; FailedCreate events: $(echo "${events}" | grep -c 'exceeded quota' || true)"
  (( max == 2 )) || { log "expected at most (and reaching) 2 concurrent pods, saw ${max}"; return 1; }
  grep -q 'exceeded quota' <<<"${events}" || { log "no FailedCreate event with 'exceeded quota'"; return 1; }
  wait_for 120 job_is "${NS_QUOTA}" wide Complete || { log "job wide did not complete"; return 1; }
}
check "ResourceQuota pods=2 caps a parallelism-4 Job at 2 pods, FailedCreate 'exceeded quota', Job still completes" check_quota

# --- 4. garbage collector -------------------------------------------------------
not_found() { # not_found <kubectl get args...>: the object is gone (and not just an API error)
  local out
  if out="$(k get "$@" 2>&1)"; then return 1; fi
  [[ "${out}" == *NotFound* || "${out}" == *"not found"* ]]
}
no_pods() { # no_pods <ns> <selector>: the list succeeds and is empty
  local out
  out="$(k -n "$1" get pods -l "$2" -o name)" || return 1
  [[ -z "${out}" ]]
}
job_gone() { not_found -n "${NS}" job gc-child; }
pods_gone() { no_pods "${NS}" job-name=gc-child; }
check_gc() {
  k -n "${NS}" create configmap gc-owner >/dev/null
  local uid; uid="$(k -n "${NS}" get configmap gc-owner -o jsonpath='{.metadata.uid}')"
  k apply -f - >/dev/null <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: gc-child
  namespace: ${NS}
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: gc-owner
    uid: ${uid}
    blockOwnerDeletion: false
spec:
  template:
    metadata:
      annotations:
        sim.gridsearch.dev/duration: 1h
    spec:
      restartPolicy: Never
      containers:
      - name: c0
        image: ${IMAGE}
EOF
  pod_running() { [[ "$(pod_of "${NS}" gc-child '.status.phase')" == Running ]]; }
  wait_for 30 pod_running || { log "gc-child pod not Running"; return 1; }
  k -n "${NS}" delete configmap gc-owner >/dev/null
  wait_for 60 job_gone || { log "job gc-child not garbage collected"; return 1; }
  wait_for 60 pods_gone || { log "pods of gc-child not removed (stuck Terminating?)"; return 1; }
}
check "Deleting the owner ConfigMap garbage-collects the Job and its running pod" check_gc

# --- 5. no annotations -> succeeds after ~1s -------------------------------------
check_default() {
  job "${NS}" plain ''
  wait_for 30 job_is "${NS}" plain Complete || { log "job plain not Complete"; return 1; }
  local started finished msg code
  started="$(pod_of "${NS}" plain '.status.containerStatuses[0].state.terminated.startedAt')"
  finished="$(pod_of "${NS}" plain '.status.containerStatuses[0].state.terminated.finishedAt')"
  msg="$(pod_of "${NS}" plain '.status.containerStatuses[0].state.terminated.message')"
  code="$(pod_of "${NS}" plain '.status.containerStatuses[0].state.terminated.exitCode')"
  log "ran ${started} -> ${finished}, exitCode=${code}, message=[${msg}]"
  local d; d="$(seconds_between "${started}" "${finished}")"
  [[ "${code}" == 0 && -z "${msg}" ]] && (( d <= 3 ))
}
check "A Job pod without sim annotations succeeds after ~1s with an empty message" check_default

# --- 6. non-Job pods keep running ---------------------------------------------------
check_deployment() {
  k -n "${NS}" create deployment web --image="${IMAGE}" --replicas=1 >/dev/null
  dep_running() { [[ "$(k -n "${NS}" get pods -l app=web -o jsonpath='{.items[0].status.phase}')" == Running ]]; }
  wait_for 30 dep_running || { log "deployment pod not Running"; return 1; }
  sleep 4
  dep_running || { log "deployment pod left Running"; return 1; }
  k -n "${NS}" delete deployment web >/dev/null
  dep_pods_gone() { no_pods "${NS}" app=web; }
  wait_for 60 dep_pods_gone || { log "deployment pods not removed"; return 1; }
}
check "A Deployment's pod stays Running (only Job pods finish) and is removed when deleted" check_deployment

# --- 6b. extended resources: nvidia.com/gpu capacity is honoured by the scheduler ----------
check_gpu() {
  local fits=0 g
  for g in $(k get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.allocatable.nvidia\.com/gpu}{" "}{end}'); do
    fits=$((fits + g / 2))
  done
  (( fits > 0 )) || { log "nodes have no nvidia.com/gpu; skipping"; return 0; }
  k apply -f - >/dev/null <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: gpu
  namespace: ${NS}
spec:
  parallelism: $((fits + 1))
  completions: $((fits + 1))
  template:
    metadata:
      annotations:
        sim.gridsearch.dev/duration: 1h
    spec:
      restartPolicy: Never
      containers:
      - name: c0
        image: ${IMAGE}
        resources:
          limits:
            nvidia.com/gpu: 2
EOF
  gpu_settled() {
    [[ "$(k -n "${NS}" get pods -l job-name=gpu --field-selector=status.phase=Running -o name | wc -l)" == "${fits}" &&
       "$(k -n "${NS}" get pods -l job-name=gpu --field-selector=status.phase=Pending -o name | wc -l)" == 1 ]]
  }
  wait_for 30 gpu_settled || { k -n "${NS}" get pods -l job-name=gpu -o wide >&2; return 1; }
  local reason
  reason="$(k -n "${NS}" get pods -l job-name=gpu --field-selector=status.phase=Pending -o jsonpath='{.items[0].status.conditions[?(@.type=="PodScheduled")].message}')"
  log "${fits} pods Running with 2 GPUs each; the extra one Pending: ${reason}"
  k -n "${NS}" delete job gpu --wait=false >/dev/null
  [[ "${reason}" == *"nvidia.com/gpu"* ]]
}
check "Scheduler honours the nodes' nvidia.com/gpu capacity" check_gpu

# --- 7. admission: LimitRanger, PodSecurity, CRD CEL validation -----------------------
check_limitranger() {
  k -n "${NS_PSA}" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    defaultRequest:
      cpu: 123m
EOF
  local req
  req="$(k -n "${NS_PSA}" run lr --image="${IMAGE}" --restart=Never --dry-run=server -o jsonpath='{.spec.containers[0].resources.requests.cpu}')"
  log "defaulted cpu request: ${req}"
  [[ "${req}" == 123m ]]
}
check "LimitRanger admission applies LimitRange defaults" check_limitranger

check_podsecurity() {
  k label namespace "${NS_PSA}" pod-security.kubernetes.io/enforce=restricted >/dev/null
  local out
  if out="$(k -n "${NS_PSA}" run psa --image="${IMAGE}" --restart=Never --dry-run=server \
      --overrides='{"spec":{"containers":[{"name":"psa","image":"'"${IMAGE}"'","securityContext":{"privileged":true}}]}}' 2>&1)"; then
    log "privileged pod was admitted: ${out}"; return 1
  fi
  log "rejected: ${out}"
  grep -q 'violates PodSecurity' <<<"${out}"
}
check "PodSecurity admission enforces the restricted profile" check_podsecurity

check_crd_cel() {
  k apply -f - >/dev/null <<EOF
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${CRD_NAME}
spec:
  group: ${CRD_GROUP}
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.min <= self.max"
              message: "min must be <= max"
            properties:
              min: {type: integer}
              max: {type: integer}
EOF
  crd_established() { [[ "$(k get crd "${CRD_NAME}" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}')" == True ]]; }
  wait_for 30 crd_established || return 1
  widget() {
    k -n "${NS}" apply --dry-run=server -f - <<EOF
apiVersion: ${CRD_GROUP}/v1
kind: Widget
metadata: {name: w}
spec: {min: $1, max: $2}
EOF
  }
  wait_for 30 widget 1 2 || { log "valid widget rejected"; return 1; }
  local out
  if out="$(widget 3 2 2>&1)"; then log "invalid widget accepted"; return 1; fi
  log "rejected: ${out}"
  grep -q 'min must be <= max' <<<"${out}"
}
check "CRD x-kubernetes-validations (CEL) rules are enforced" check_crd_cel

# --- 8. kube-apiserver restart ---------------------------------------------------------
check_restart() {
  "${CP}" restart-apiserver >/dev/null 2>&1 || { log "restart-apiserver failed"; return 1; }
  k get namespace "${NS}" >/dev/null || { log "namespace lost across the restart"; return 1; }
  job "${NS}" after-restart '        sim.gridsearch.dev/duration: 500ms'
  wait_for 60 job_is "${NS}" after-restart Complete || { log "job after restart not Complete"; return 1; }
}
check "restart-apiserver restarts kube-apiserver only; state survives and Jobs still run" check_restart

# --- 9. namespace deletion -----------------------------------------------------------
ns_gone() { not_found namespace "$1"; }
check_ns_delete() {
  k delete namespace "${NS}" "${NS_QUOTA}" "${NS_PSA}" --wait=false >/dev/null
  wait_for 120 ns_gone "${NS}" && wait_for 60 ns_gone "${NS_QUOTA}" && wait_for 60 ns_gone "${NS_PSA}"
}
check "Namespace controller deletes the test namespaces (with their Jobs/pods)" check_ns_delete

echo
if (( FAILED > 0 )); then
  printf 'failed: %s\n' "${FAILURES[@]}"
fi
echo "${PASSED} passed, ${FAILED} failed"
(( FAILED == 0 ))

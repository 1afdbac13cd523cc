#!/usr/bin/env bash
# Local Kubernetes control plane for gridsearch-operator tests:
# real kube-apiserver / kube-controller-manager / kube-scheduler / etcd, built
# from source through the Go module proxy, plus kwok fake nodes whose pods
# "run" according to annotations (see hack/kwok/stages.yaml).
#
# Usage: hack/controlplane.sh <build|build-kubelet|up|down|env|status|restart-apiserver|bin-dir|kubectl ...|kwokctl ...>
# See hack/README-controlplane.md.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/versions.env
source "${HACK_DIR}/versions.env"

export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

GRIDSEARCH_CACHE="${GRIDSEARCH_CACHE:-${HOME}/.cache/gridsearch-operator}"
VERSIONS_KEY="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
CP_DIR="${GRIDSEARCH_CACHE}/controlplane/${VERSIONS_KEY}"
BIN_DIR="${CP_DIR}/bin"
SRC_DIR="${CP_DIR}/src"

CLUSTER="${GRIDSEARCH_CLUSTER:-gridsearch}"
NODES="${GRIDSEARCH_NODES:-4}"
NODE_CPU="${GRIDSEARCH_NODE_CPU:-8}"
NODE_MEMORY="${GRIDSEARCH_NODE_MEMORY:-32Gi}"
NODE_PODS="${GRIDSEARCH_NODE_PODS:-110}"
NODE_GPU="${GRIDSEARCH_NODE_GPU:-2}"
NODE_EPHEMERAL_STORAGE="${GRIDSEARCH_NODE_EPHEMERAL_STORAGE:-100Gi}"
STAGES_FILE="${GRIDSEARCH_STAGES:-${HACK_DIR}/kwok/stages.yaml}"
UP_TIMEOUT="${GRIDSEARCH_UP_TIMEOUT:-180}"

# k8s.io/kubernetes v1.X.Y publishes its staging modules (k8s.io/api, ...) as v0.X.Y.
STAGING_VERSION="v0.${K8S_VERSION#v1.}"
K8S_MINOR="$(echo "${K8S_VERSION}" | cut -d. -f2)"

K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
# Built on its own (hack/realnode.sh needs it), so adding it never rebuilds the four above.
KUBELET_BIN=kubelet

log() { echo "[controlplane] $*" >&2; }
die() { echo "[controlplane] ERROR: $*" >&2; exit 1; }

# with_progress <label> <command...>: runs a long step quietly, showing elapsed time and the lines it has
# written so far (go build -v: one per package compiled); its output is shown only when it fails.
with_progress() {
  local label="$1"; shift
  local out rc=0 t0=${SECONDS} last=-30
  out="$(mktemp -t gridsearch-progress.XXXXXX)"
  "$@" >"${out}" 2>&1 &
  local pid=$!
  while kill -0 "${pid}" 2>/dev/null; do
    local n; n=$(wc -l <"${out}")
    if [[ -t 2 ]]; then
      printf '\r[controlplane] %s: %dm%02ds, %d packages' "${label}" $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60)) "${n}" >&2
    elif (( SECONDS - last >= 30 )); then
      echo "[controlplane] ${label}: $((SECONDS - t0))s, ${n} packages" >&2; last=${SECONDS}
    fi
    sleep 1
  done
  wait "${pid}" || rc=$?
  [[ ! -t 2 ]] || printf '\n' >&2
  if (( rc != 0 )); then
    tail -n 40 "${out}" >&2
    rm -f "${out}"
    die "${label} failed (exit ${rc})"
  fi
  rm -f "${out}"
}

# ---------------------------------------------------------------------------
# prerequisites
# ---------------------------------------------------------------------------

APT_UPDATED=0
# ensure_cmd <command> <debian-package>: install the package when the command is missing.
ensure_cmd() {
  local cmd="$1" pkg="$2"
  command -v "${cmd}" >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "'${cmd}' is missing and apt-get is not available; install ${pkg}"
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  if [[ "${APT_UPDATED}" == 0 ]]; then
    log "apt-get update"
    ${sudo} apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install ${pkg} (for '${cmd}')"
  DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq "${pkg}" >&2
}

version_ge() { # version_ge A B: A >= B (dotted numeric versions)
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

need_go() {
  command -v go >/dev/null 2>&1 || die "Go >= ${GO_MIN_VERSION} is required (not found in PATH)"
  local v
  v="$(go env GOVERSION)"; v="${v#go}"; v="${v%%[-+ ]*}"
  version_ge "${v}" "${GO_MIN_VERSION}" || die "Go >= ${GO_MIN_VERSION} is required (found ${v}); kwok ${KWOK_VERSION} needs it"
  # the go command needs CA certificates to talk to the module proxy
  [[ -s /etc/ssl/certs/ca-certificates.crt ]] || ensure_cmd update-ca-certificates ca-certificates
}

# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------

# bin_ok <name> <expected substring of --version output>
bin_ok() {
  local b="${BIN_DIR}/$1" out
  [[ -x "${b}" ]] || return 1
  case "$1" in
    kubectl) out="$("${b}" version --client 2>&1)" || return 1 ;;
    *) out="$("${b}" --version 2>&1)" || return 1 ;;
  esac
  [[ "${out}" == *"$2"* ]]
}

gomod_field() { # gomod_field <module@version> <Field>: field of `go mod download -json`
  go mod download -json "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",\{0,1\}$/\1/p"
}

# kubernetes_wrapper <dir>: the wrapper module building every binary of k8s.io/kubernetes we use.
# .ready holds the tool list it was resolved for: a list without the kubelet is resolved again.
kubernetes_wrapper() {
  local wdir="$1" tools="${K8S_BINS[*]} ${KUBELET_BIN}"
  mkdir -p "${wdir}" "${BIN_DIR}"
  if [[ ! -f "${wdir}/.ready" || "$(cat "${wdir}/.ready")" != "${tools}" ]]; then
    log "kubernetes ${K8S_VERSION}: generating wrapper module in ${wdir}"
    local gomod
    gomod="$(gomod_field "k8s.io/kubernetes@${K8S_VERSION}" GoMod)"
    [[ -f "${gomod}" ]] || die "cannot download k8s.io/kubernetes@${K8S_VERSION}"
    local godirective godebug staging
    godirective="$(awk '$1=="go"{print $2; exit}' "${gomod}")"
    godebug="$(grep -E '^godebug ' "${gomod}" || true)"
    # every `k8s.io/<name> => ./staging/src/k8s.io/<name>` replace of that exact tag
    staging="$(sed -nE 's#^(replace)?[[:space:]]*(k8s\.io/[^[:space:]]+)[[:space:]]+=>[[:space:]]+\./staging/src/.*#\2#p' "${gomod}" | sort -u)"
    [[ -n "${staging}" ]] || die "no staging replace directives found in ${gomod}"
    {
      echo "// Generated by hack/controlplane.sh: builds k8s.io/kubernetes ${K8S_VERSION} binaries"
      echo "// with the staging modules pinned to their published ${STAGING_VERSION} tags."
      echo "module gridsearch-operator.local/controlplane/kubernetes"
      echo
      echo "go ${godirective}"
      [[ -z "${godebug}" ]] || { echo; echo "${godebug}"; }
      echo
      echo "require k8s.io/kubernetes ${K8S_VERSION}"
      echo
      echo "tool ("
      for b in ${tools}; do echo "	k8s.io/kubernetes/cmd/${b}"; done
      echo ")"
      echo
      echo "replace ("
      local m
      for m in ${staging}; do echo "	${m} => ${m} ${STAGING_VERSION}"; done
      echo ")"
    } > "${wdir}/go.mod"
    rm -f "${wdir}/go.sum"
    log "kubernetes ${K8S_VERSION}: resolving modules (go mod tidy; staging at ${STAGING_VERSION})"
    local t0=${SECONDS}
    (cd "${wdir}" && go mod tidy) || die "go mod tidy failed for k8s.io/kubernetes ${K8S_VERSION} (staging ${STAGING_VERSION} may not resolve; try an older K8S_VERSION in hack/versions.env)"
    (cd "${wdir}" && go mod download) || die "go mod download failed"
    log "kubernetes ${K8S_VERSION}: modules resolved in $((SECONDS - t0))s"
    echo "${tools}" > "${wdir}/.ready"
  fi
}

kubernetes_ldflags() {
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${K8S_MINOR}"
    ldflags+=" -X ${pkg}.gitTreeState=clean"
  done
  echo "${ldflags}"
}

build_kubernetes() {
  local ok=1 b
  for b in "${K8S_BINS[@]}"; do
    bin_ok "${b}" "${K8S_VERSION}" || ok=0
  done
  if [[ "${ok}" == 1 ]]; then
    log "kubernetes ${K8S_VERSION}: already built (${K8S_BINS[*]})"
    return 0
  fi

  local wdir="${SRC_DIR}/kubernetes"
  kubernetes_wrapper "${wdir}"

  local targets=()
  for b in "${K8S_BINS[@]}"; do targets+=("k8s.io/kubernetes/cmd/${b}"); done
  log "kubernetes ${K8S_VERSION}: go build ${K8S_BINS[*]} (cold: about 5 minutes on 2 cores)"
  local t0=${SECONDS}
  (cd "${wdir}" && with_progress "kubernetes ${K8S_VERSION}: go build" \
      env CGO_ENABLED=0 go build -v -trimpath -tags selinux,notest,grpcnotrace \
      -ldflags "$(kubernetes_ldflags)" -o "${BIN_DIR}/" "${targets[@]}")
  log "kubernetes ${K8S_VERSION}: built in $((SECONDS - t0))s"
  for b in "${K8S_BINS[@]}"; do
    bin_ok "${b}" "${K8S_VERSION}" || die "${BIN_DIR}/${b} does not report ${K8S_VERSION}"
  done
}

# The kubelet of the real node (hack/realnode.sh), from the same wrapper module and version.
build_kubelet() {
  if bin_ok "${KUBELET_BIN}" "${K8S_VERSION}"; then
    log "kubelet ${K8S_VERSION}: already built"
    return 0
  fi
  need_go
  local wdir="${SRC_DIR}/kubernetes" t0=${SECONDS}
  kubernetes_wrapper "${wdir}"
  log "kubelet ${K8S_VERSION}: go build (cold: about 2 minutes beside the cached components)"
  (cd "${wdir}" && with_progress "kubelet ${K8S_VERSION}: go build" \
      env CGO_ENABLED=0 go build -v -trimpath -tags selinux,notest,grpcnotrace \
      -ldflags "$(kubernetes_ldflags)" -o "${BIN_DIR}/${KUBELET_BIN}" "k8s.io/kubernetes/cmd/${KUBELET_BIN}")
  log "kubelet ${K8S_VERSION}: built in $((SECONDS - t0))s"
  bin_ok "${KUBELET_BIN}" "${K8S_VERSION}" || die "${BIN_DIR}/${KUBELET_BIN} does not report ${K8S_VERSION}"
}

build_etcd() {
  local want="${ETCD_VERSION#v}"
  if bin_ok etcd "etcd Version: ${want}"; then
    log "etcd ${ETCD_VERSION}: already built"
    return 0
  fi
  local wdir="${SRC_DIR}/etcd"
  mkdir -p "${wdir}" "${BIN_DIR}"
  if [[ ! -f "${wdir}/.ready" ]]; then
    log "etcd ${ETCD_VERSION}: generating wrapper module in ${wdir}"
    local gomod godirective
    gomod="$(gomod_field "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" GoMod)"
    [[ -f "${gomod}" ]] || die "cannot download go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
    godirective="$(awk '$1=="go"{print $2; exit}' "${gomod}")"
    # `tool` directives need go >= 1.24; keep the GODEBUG defaults of etcd's own go line.
    local gover="${godirective}"
    version_ge "${gover}" 1.24 || gover=1.24.0
    {
      echo "// Generated by hack/controlplane.sh: builds the etcd ${ETCD_VERSION} server binary."
      echo "// (go install go.etcd.io/etcd/server/v3@... refuses its replace directives.)"
      echo "module gridsearch-operator.local/controlplane/etcd"
      echo
      echo "go ${gover}"
      echo
      echo "godebug default=go$(echo "${godirective}" | cut -d. -f1-2)"
      echo
      echo "require ("
      # the server and its sibling modules, all at the same tag
      for m in server/v3 api/v3 client/pkg/v3 client/v3 pkg/v3; do
        echo "	go.etcd.io/etcd/${m} ${ETCD_VERSION}"
      done
      echo ")"
      echo
      echo "tool go.etcd.io/etcd/server/v3"
    } > "${wdir}/go.mod"
    rm -f "${wdir}/go.sum"
    log "etcd ${ETCD_VERSION}: resolving modules (go mod tidy)"
    local t0=${SECONDS}
    (cd "${wdir}" && go mod tidy && go mod download) || die "go mod tidy failed for etcd ${ETCD_VERSION}"
    log "etcd ${ETCD_VERSION}: modules resolved in $((SECONDS - t0))s"
    local got
    got="$(cd "${wdir}" && go list -m -f '{{.Version}}' go.etcd.io/etcd/api/v3 go.etcd.io/etcd/client/v3 go.etcd.io/etcd/pkg/v3 | sort -u)"
    [[ "${got}" == "${ETCD_VERSION}" ]] || die "etcd sibling modules resolved to '${got}', expected ${ETCD_VERSION}"
    touch "${wdir}/.ready"
  fi
  log "etcd ${ETCD_VERSION}: go build"
  local t0=${SECONDS}
  (cd "${wdir}" && with_progress "etcd ${ETCD_VERSION}: go build" \
      env CGO_ENABLED=0 go build -v -trimpath -ldflags "-s -w" -o "${BIN_DIR}/etcd" go.etcd.io/etcd/server/v3)
  log "etcd ${ETCD_VERSION}: built in $((SECONDS - t0))s"
  bin_ok etcd "etcd Version: ${want}" || die "${BIN_DIR}/etcd does not report ${want}"
}

build_kwok() {
  local want="${KWOK_VERSION#v}"
  if bin_ok kwok "${want}" && bin_ok kwokctl "${want}"; then
    log "kwok ${KWOK_VERSION}: already built"
    return 0
  fi
  mkdir -p "${BIN_DIR}"
  log "kwok ${KWOK_VERSION}: go install kwok kwokctl"
  local t0=${SECONDS}
  with_progress "kwok ${KWOK_VERSION}: go install" env CGO_ENABLED=0 GOBIN="${BIN_DIR}" go install -v -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}" "sigs.k8s.io/kwok/cmd/kwokctl@${KWOK_VERSION}"
  log "kwok ${KWOK_VERSION}: built in $((SECONDS - t0))s"
  bin_ok kwok "${want}" || die "${BIN_DIR}/kwok does not report ${want}"
  bin_ok kwokctl "${want}" || die "${BIN_DIR}/kwokctl does not report ${want}"
}

cmd_build() {
  need_go
  log "cache: ${CP_DIR}"
  local t0=${SECONDS}
  build_kubernetes
  build_etcd
  build_kwok
  [[ "${GRIDSEARCH_BUILD_KUBELET:-0}" != 1 ]] || build_kubelet
  log "build done in $((SECONDS - t0))s; binaries in ${BIN_DIR}"
}

# ---------------------------------------------------------------------------
# cluster
# ---------------------------------------------------------------------------

KWOK_ROOT="${KWOK_WORKDIR:-${HOME}/.kwok}"
CLUSTER_DIR="${KWOK_ROOT}/clusters/${CLUSTER}"
KUBECONFIG_PATH="${CLUSTER_DIR}/kubeconfig.yaml"
# our generated kwokctl config + a stamp of what the running cluster was created from
CLUSTER_CONF_DIR="${GRIDSEARCH_CACHE}/controlplane/clusters/${CLUSTER}"

# kwokctl runs the first `kubectl` found in PATH (falling back to kubectlBinary), so put ours first.
kwokctl() { PATH="${BIN_DIR}:${PATH}" "${BIN_DIR}/kwokctl" "$@"; }
kc() { "${BIN_DIR}/kubectl" --kubeconfig "${KUBECONFIG_PATH}" "$@"; }
# quiet <command...>: kwokctl logs JSON lines on every call; show them only when it fails.
quiet() {
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  (( rc == 0 )) || { echo "${out}" >&2; return "${rc}"; }
}

binaries_ok() {
  local b
  for b in "${K8S_BINS[@]}"; do bin_ok "${b}" "${K8S_VERSION}" || return 1; done
  bin_ok etcd "etcd Version: ${ETCD_VERSION#v}" && bin_ok kwok "${KWOK_VERSION#v}" && bin_ok kwokctl "${KWOK_VERSION#v}"
}

ensure_binaries() {
  binaries_ok && return 0
  log "binaries missing in ${BIN_DIR}; running build first"
  cmd_build
}

cluster_exists() { [[ -f "${CLUSTER_DIR}/kwok.yaml" ]]; }

components_running() { # every component kwokctl started (pids/*.pid) is alive
  local f n=0
  for f in "${CLUSTER_DIR}"/pids/*.pid; do
    [[ -f "${f}" ]] || continue
    kill -0 "$(cat "${f}")" 2>/dev/null || return 1
    n=$((n + 1))
  done
  (( n > 0 ))
}

apiserver_ready() {
  [[ -f "${KUBECONFIG_PATH}" ]] || return 1
  kc get --raw /readyz --request-timeout=5s >/dev/null 2>&1
}

# wait_until <timeout-seconds> <description> <command...>
wait_until() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if (( SECONDS >= deadline )); then
      log "timed out after ${timeout}s waiting for ${what}"
      return 1
    fi
    sleep 1
  done
}

write_cluster_config() {
  mkdir -p "${CLUSTER_CONF_DIR}"
  local conf="${CLUSTER_CONF_DIR}/kwokctl.yaml"
  [[ -f "${STAGES_FILE}" ]] || die "stages file ${STAGES_FILE} not found"
  {
    echo "# Generated by hack/controlplane.sh for cluster '${CLUSTER}' (${VERSIONS_KEY})."
    echo "apiVersion: config.kwok.x-k8s.io/v1alpha1"
    echo "kind: KwokctlConfiguration"
    echo "options:"
    echo "  runtime: binary"
    echo "  kubeApiserverBinary: ${BIN_DIR}/kube-apiserver"
    echo "  kubeControllerManagerBinary: ${BIN_DIR}/kube-controller-manager"
    echo "  kubeSchedulerBinary: ${BIN_DIR}/kube-scheduler"
    echo "  kubectlBinary: ${BIN_DIR}/kubectl"
    echo "  kwokControllerBinary: ${BIN_DIR}/kwok"
    echo "  etcdBinary: ${BIN_DIR}/etcd"
    echo "  bindAddress: 127.0.0.1"
    echo "  securePort: true"
    echo "  kubeAuthorization: true"
    # false would make kwokctl pass --admission-control= (no ResourceQuota/LimitRanger/PodSecurity)
    echo "  kubeAdmission: true"
    echo "  quietPull: true"
    [[ -z "${GRIDSEARCH_APISERVER_PORT:-}" ]] || echo "  kubeApiserverPort: ${GRIDSEARCH_APISERVER_PORT}"
    # Optional audit policy (bench/ uses one that logs only its own ServiceAccounts' requests).
    [[ -z "${GRIDSEARCH_AUDIT_POLICY:-}" ]] || echo "  kubeAuditPolicy: ${GRIDSEARCH_AUDIT_POLICY}"
    # One instance each: without leader election a slow kube-apiserver restart cannot make them exit for good.
    echo "componentsPatches:"
    local component
    for component in kube-controller-manager kube-scheduler; do
      echo "- name: ${component}"
      echo "  extraArgs:"
      echo "  - {key: leader-elect, value: \"false\"}"
      # Optional: raise the component's own API client rate limit (default 20 QPS for kube-controller-manager,
      # which caps the Job controller at a few Jobs per second); bench/ sets it, the tests do not.
      if [[ -n "${GRIDSEARCH_COMPONENT_QPS:-}" ]]; then
        echo "  - {key: kube-api-qps, value: \"${GRIDSEARCH_COMPONENT_QPS}\"}"
        echo "  - {key: kube-api-burst, value: \"$((GRIDSEARCH_COMPONENT_QPS * 2))\"}"
        [[ "${component}" != kube-controller-manager ]] || echo "  - {key: concurrent-job-syncs, value: \"${GRIDSEARCH_JOB_SYNCS:-50}\"}"
      fi
    done
    # kwok manages only its own (annotated) nodes: a real kubelet's node (hack/realnode.sh) stays the kubelet's.
    echo "- name: kwok-controller"
    echo "  extraArgs:"
    echo "  - {key: manage-all-nodes, value: \"false\", override: true}"
    echo "  - {key: manage-nodes-with-annotation-selector, value: \"kwok.x-k8s.io/node=fake\"}"
    # The real node's name does not resolve; `kubectl logs` reaches its kubelet by address.
    echo "- name: kube-apiserver"
    echo "  extraArgs:"
    echo "  - {key: kubelet-preferred-address-types, value: \"InternalIP,Hostname\"}"
    # ...with a client certificate, so that the kubelet needs no anonymous access (it trusts the cluster's CA).
    echo "  - {key: kubelet-client-certificate, value: \"${CLUSTER_DIR}/pki/admin.crt\"}"
    echo "  - {key: kubelet-client-key, value: \"${CLUSTER_DIR}/pki/admin.key\"}"
    echo "---"
    cat "${STAGES_FILE}"
  } > "${conf}.tmp"
  mv "${conf}.tmp" "${conf}"
  echo "${conf}"
}

config_stamp() { # what the cluster is created from; a change means re-create
  { echo "${VERSIONS_KEY}"; cat "$1"; } | sha256sum | cut -d' ' -f1
}

node_name() { echo "kwok-node-$1"; }

ensure_nodes() {
  local i manifest=""
  for ((i = 0; i < NODES; i++)); do
    manifest+="---
apiVersion: v1
kind: Node
metadata:
  name: $(node_name "${i}")
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: $(node_name "${i}")
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: \"\"
spec: {}
"
  done
  log "ensuring ${NODES} fake nodes (cpu=${NODE_CPU} memory=${NODE_MEMORY} pods=${NODE_PODS} nvidia.com/gpu=${NODE_GPU})"
  printf '%s' "${manifest}" | kc apply -f - >/dev/null
  local res
  res="{\"cpu\":\"${NODE_CPU}\",\"memory\":\"${NODE_MEMORY}\",\"pods\":\"${NODE_PODS}\",\"ephemeral-storage\":\"${NODE_EPHEMERAL_STORAGE}\""
  if [[ "${NODE_GPU}" != 0 ]]; then
    res+=",\"nvidia.com/gpu\":\"${NODE_GPU}\""
  else
    res+=",\"nvidia.com/gpu\":null"   # merge patch: remove it
  fi
  res+="}"
  for ((i = 0; i < NODES; i++)); do
    kc patch node "$(node_name "${i}")" --subresource=status --type=merge \
      -p "{\"status\":{\"capacity\":${res},\"allocatable\":${res}}}" >/dev/null
  done
  # drop fake nodes beyond the wanted count (e.g. GRIDSEARCH_NODES was lowered)
  local n idx
  for n in $(kc get nodes -l type=kwok -o name); do
    n="${n#node/}"; idx="${n#kwok-node-}"
    if [[ "${idx}" =~ ^[0-9]+$ ]] && (( idx >= NODES )); then
      log "deleting extra node ${n}"
      kc delete node "${n}" --wait=false >/dev/null
    fi
  done
}

nodes_ready() {
  local want="$1" ready
  ready="$(kc get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c '^True$' || true)"
  [[ "${ready}" -ge "${want}" ]]
}

default_sa_exists() { kc -n default get serviceaccount default >/dev/null 2>&1; }

cmd_up() {
  ensure_binaries
  local t0=${SECONDS} conf stamp
  conf="$(write_cluster_config)"
  stamp="$(config_stamp "${conf}")"

  if cluster_exists; then
    if [[ "$(cat "${CLUSTER_CONF_DIR}/stamp" 2>/dev/null)" != "${stamp}" ]]; then
      log "cluster '${CLUSTER}' exists but was created from other versions/stages/config; re-creating it"
      cmd_down
    elif components_running && apiserver_ready; then
      log "cluster '${CLUSTER}' is already up"
    else
      log "cluster '${CLUSTER}' exists but is not (fully) running; starting its components"
      quiet kwokctl start cluster --name "${CLUSTER}"
    fi
  fi
  if ! cluster_exists; then
    log "creating cluster '${CLUSTER}' (kwokctl ${KWOK_VERSION}, runtime binary, config ${conf})"
    rm -f "${CLUSTER_CONF_DIR}/stamp"
    quiet kwokctl create cluster --name "${CLUSTER}" --config "${conf}" --kubeconfig "" --timeout 5m
    echo "${stamp}" > "${CLUSTER_CONF_DIR}/stamp"
  fi

  wait_until "${UP_TIMEOUT}" "kube-apiserver /readyz" apiserver_ready || die "kube-apiserver is not ready; see '${BIN_DIR}/kwokctl logs kube-apiserver --name ${CLUSTER}'"
  ensure_nodes
  wait_until "${UP_TIMEOUT}" "${NODES} Ready nodes" nodes_ready "${NODES}" || { kc get nodes -o wide >&2 || true; die "nodes did not become Ready (is the kwok controller running? '${BIN_DIR}/kwokctl logs kwok-controller --name ${CLUSTER}')"; }
  wait_until "${UP_TIMEOUT}" "default service account" default_sa_exists || die "kube-controller-manager did not create the default service account"
  log "cluster '${CLUSTER}' is up (${NODES} nodes Ready) in $((SECONDS - t0))s"
  log "KUBECONFIG=${KUBECONFIG_PATH}"
  echo "${KUBECONFIG_PATH}"
}

cmd_down() {
  # a real node of this cluster first (hack/realnode.sh): its kubelet, containers and mounts
  if [[ -d "/run/gridsearch-operator/realnode/${CLUSTER}" || -d "${GRIDSEARCH_REALNODE_DIR:-/var/lib/gridsearch-operator/realnode/${CLUSTER}}/kubelet" ]]; then
    "${HACK_DIR}/realnode.sh" down
  fi
  if [[ -x "${BIN_DIR}/kwokctl" ]] && { cluster_exists || kwokctl get clusters 2>/dev/null | grep -qx "${CLUSTER}"; }; then
    log "deleting cluster '${CLUSTER}'"
    # --kubeconfig "" fails here ("empty path"); the default would edit ~/.kube/config,
    # so point it at the cluster's own kubeconfig, which is deleted with the cluster.
    quiet kwokctl delete cluster --name "${CLUSTER}" --kubeconfig "${KUBECONFIG_PATH}"
  elif [[ -d "${CLUSTER_DIR}" ]]; then
    log "kwokctl not available; removing ${CLUSTER_DIR}"
    rm -rf "${CLUSTER_DIR}"
  else
    log "cluster '${CLUSTER}' does not exist"
  fi
  rm -f "${CLUSTER_CONF_DIR}/stamp"
}

cmd_env() {
  [[ -f "${KUBECONFIG_PATH}" ]] || die "cluster '${CLUSTER}' is not created (no ${KUBECONFIG_PATH}); run: hack/controlplane.sh up"
  echo "export KUBECONFIG=${KUBECONFIG_PATH}"
}

cmd_status() {
  echo "versions:   k8s ${K8S_VERSION} (staging ${STAGING_VERSION}), etcd ${ETCD_VERSION}, kwok ${KWOK_VERSION}"
  echo "binaries:   ${BIN_DIR} ($(binaries_ok && echo built || echo 'NOT built'))"
  echo "cluster:    ${CLUSTER} ($(cluster_exists && echo "created in ${CLUSTER_DIR}" || echo 'not created'))"
  cluster_exists || return 0
  echo "kubeconfig: ${KUBECONFIG_PATH}"
  if apiserver_ready; then
    echo "apiserver:  ready ($(kc version -o json 2>/dev/null | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -n1))"
    kc get nodes -o wide
  else
    echo "apiserver:  NOT ready"
    return 1
  fi
}

pid_alive() { kill -0 "$1" 2>/dev/null; }
pid_dead() { ! kill -0 "$1" 2>/dev/null; }

cmd_restart_apiserver() {
  cluster_exists || die "cluster '${CLUSTER}' is not created"
  local pidfile="${CLUSTER_DIR}/pids/kube-apiserver.pid" pid="" t0=${SECONDS}
  local grace="${GRIDSEARCH_APISERVER_STOP_GRACE:-5}"
  [[ -f "${pidfile}" ]] && pid="$(cat "${pidfile}")"
  if [[ -n "${pid}" ]] && pid_alive "${pid}"; then
    # kube-apiserver's graceful shutdown waits up to 60s for open watches; it stops
    # accepting connections at once, so a short grace period then SIGKILL is enough.
    log "stopping kube-apiserver (pid ${pid}; SIGTERM, SIGKILL after ${grace}s)"
    kill -TERM "${pid}" 2>/dev/null || true
    if ! wait_until "${grace}" "kube-apiserver to exit" pid_dead "${pid}" 2>/dev/null; then
      kill -KILL "${pid}" 2>/dev/null || true
      wait_until 30 "kube-apiserver (pid ${pid}) to be killed" pid_dead "${pid}" || die "cannot stop kube-apiserver (pid ${pid})"
    fi
  else
    log "kube-apiserver is not running"
  fi
  # kwokctl v0.8.0 has no per-component start/stop command, but `kwokctl start cluster`
  # only starts the components that are not running (pid file check).
  log "starting kube-apiserver again (kwokctl start cluster)"
  quiet kwokctl start cluster --name "${CLUSTER}"
  wait_until "${UP_TIMEOUT}" "kube-apiserver /readyz" apiserver_ready || die "kube-apiserver did not come back"
  log "kube-apiserver restarted in $((SECONDS - t0))s (pid $(cat "${pidfile}" 2>/dev/null))"
}

# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "${cmd}" in
    build) cmd_build "$@" ;;
    build-kubelet) need_go; build_kubelet ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    env) cmd_env "$@" ;;
    status) cmd_status "$@" ;;
    restart-apiserver) cmd_restart_apiserver "$@" ;;
    bin-dir) echo "${BIN_DIR}" ;;
    kubectl) exec "${BIN_DIR}/kubectl" --kubeconfig "${KUBECONFIG_PATH}" "$@" ;;
    kwokctl) PATH="${BIN_DIR}:${PATH}" exec "${BIN_DIR}/kwokctl" "$@" ;;
    -h|--help|help|"") usage ;;
    *) usage; die "unknown subcommand '${cmd}'" ;;
  esac
}

main "$@"

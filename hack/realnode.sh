#!/usr/bin/env bash
# A real node for the local control plane: a kubelet (built from the same k8s.io/kubernetes as the control plane),
# containerd, runc and the CNI plugins from Debian, and images built here (hack/images.sh). It joins the cluster of
# hack/controlplane.sh beside the kwok nodes, labelled gridsearch.dev/node=real and tainted
# gridsearch.dev/real-node=true:NoSchedule, so only pods that select and tolerate it run there.
#
# Usage: hack/realnode.sh <check|build|up|down|status|node-name|ctr ...>
#   check  exits 0 when a real node can run here (root, Linux, cgroups, runc runs a container), else says why
#   build  installs the Debian packages, builds the kubelet and the images (cached; idempotent)
#   up     build, the control plane up, containerd and the kubelet started, images imported, node Ready
#   down   stops the kubelet, the containers and containerd; unmounts; removes the node's bridge and address
# Needs root. See hack/README-controlplane.md.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/versions.env
source "${HACK_DIR}/versions.env"

CLUSTER="${GRIDSEARCH_CLUSTER:-gridsearch}"
NODE_NAME="${GRIDSEARCH_REAL_NODE_NAME:-real-node}"
NODE_LABEL="gridsearch.dev/node=real"
NODE_TAINT_KEY="gridsearch.dev/real-node"
STATE="${GRIDSEARCH_REALNODE_DIR:-/var/lib/gridsearch-operator/realnode/${CLUSTER}}"
RUN="/run/gridsearch-operator/realnode/${CLUSTER}"
SOCK="${RUN}/containerd.sock"
KWOK_ROOT="${KWOK_WORKDIR:-${HOME}/.kwok}"
CLUSTER_DIR="${KWOK_ROOT}/clusters/${CLUSTER}"
KUBECONFIG_PATH="${CLUSTER_DIR}/kubeconfig.yaml"
READY_TIMEOUT="${GRIDSEARCH_REAL_NODE_TIMEOUT:-120}"

# Names and addresses of this cluster's node, distinct per cluster so that two clusters' nodes can coexist.
HASH="$(printf '%s' "${CLUSTER}" | sha256sum | cut -c1-6)"
BRIDGE="gsbr${HASH}"
DUMMY="gsnode${HASH}"
# The node IP must not be loopback; a /32 on a link of its own keeps the kubelet off the machine's interfaces.
NODE_IP="198.18.$((16#${HASH:0:2})).$((16#${HASH:2:2} % 253 + 1))"
POD_SUBNET="10.$((16#${HASH:0:2} % 64 + 150)).$((16#${HASH:2:2})).0/24"
CGROUP_ROOT="/gridsearch-${CLUSTER}"

TAG=realnode
# shellcheck source=hack/lib.sh
source "${HACK_DIR}/lib.sh"

bin_dir() { "${HACK_DIR}/controlplane.sh" bin-dir; }
kc() { "$(bin_dir)/kubectl" --kubeconfig "${KUBECONFIG_PATH}" "$@"; }
ctr_() { ctr --address "${SOCK}" --namespace k8s.io "$@"; }

# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------

# why_not: prints why a real node cannot run here (nothing when it can).
why_not() {
  [[ "$(uname -s)" == Linux ]] || { echo "not Linux ($(uname -s))"; return; }
  [[ "$(id -u)" == 0 ]] || { echo "not root (uid $(id -u)): the kubelet and containerd need root"; return; }
  [[ -d /sys/fs/cgroup ]] || { echo "no /sys/fs/cgroup"; return; }
  if [[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs && ! -d /sys/fs/cgroup/memory ]]; then
    echo "cgroup v1 without a memory controller at /sys/fs/cgroup/memory"; return
  fi
  command -v apt-get >/dev/null 2>&1 || command -v runc >/dev/null 2>&1 || { echo "no runc and no apt-get to install it"; return; }
}

cmd_check() {
  local why
  why="$(why_not)"
  [[ -z "${why}" ]] || die "a real node cannot run here: ${why}"
  install_packages
  runc_works || die "a real node cannot run here: runc could not run a container (see above)"
  log "a real node can run here (runc $(runc --version | awk 'NR==1{print $3}'), cgroup $(cgroup_version))"
}

cgroup_version() { [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]] && echo v2 || echo v1; }

# runc_works: runs `true` in a container of Debian's static busybox, with namespaces and a cgroup.
runc_works() {
  local dir id="gridsearch-check-$$" rc=0 out
  dir="$(mktemp -d)"
  mkdir -p "${dir}/rootfs/bin"
  cp /bin/busybox "${dir}/rootfs/bin/busybox" 2>/dev/null || { apt_install busybox-static; cp /bin/busybox "${dir}/rootfs/bin/busybox"; }
  (cd "${dir}" && runc spec)
  sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"\/bin\/busybox", "true"/' "${dir}/config.json"
  out="$(runc run --bundle "${dir}" "${id}" 2>&1)" || rc=$?
  runc delete --force "${id}" >/dev/null 2>&1 || true
  rm -rf "${dir}"
  if (( rc != 0 )); then
    log "runc run --bundle <busybox rootfs> ${id}: exit ${rc}: ${out}"
    return 1
  fi
}

# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------


install_packages() {
  local t0=${SECONDS}
  apt_install containerd runc containernetworking-plugins iproute2 util-linux busybox-static
  (( SECONDS - t0 < 2 )) || log "packages installed in $((SECONDS - t0))s"
}

cmd_build() {
  local why
  why="$(why_not)"
  [[ -z "${why}" ]] || die "a real node cannot run here: ${why}"
  install_packages
  "${HACK_DIR}/controlplane.sh" build-kubelet
  "${HACK_DIR}/images.sh" build
}

# ---------------------------------------------------------------------------
# up
# ---------------------------------------------------------------------------

# pid_of <name>: the daemon's pid while it runs; a recycled pid (machine restarted, processes ended) is not ours
# unless its command line names our directory.
pid_of() {
  local f="${RUN}/$1.pid" pid
  [[ -f "${f}" ]] || return 1
  pid="$(cat "${f}")"
  tr '\0' ' ' 2>/dev/null < "/proc/${pid}/cmdline" | grep -qF -- "${STATE}/" || return 1
  echo "${pid}"
}

# start <name> <command...>: a daemon of its own session, its log in ${STATE}/logs/<name>.log.
start() {
  local name="$1"; shift
  mkdir -p "${STATE}/logs" "${RUN}"
  setsid "$@" >>"${STATE}/logs/${name}.log" 2>&1 < /dev/null &
  echo $! > "${RUN}/${name}.pid"
}

wait_until() { # wait_until <seconds> <what> <command...>
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { log "timed out after ${timeout}s waiting for ${what}"; return 1; }
    sleep 0.5
  done
}

write_containerd_config() {
  mkdir -p "${STATE}/cni/net.d" "${STATE}/containerd" "${RUN}/containerd"
  cat > "${STATE}/containerd.toml" <<EOF
# Generated by hack/realnode.sh for cluster '${CLUSTER}': paths of its own, nothing in /var/lib/containerd.
version = 2
root = "${STATE}/containerd"
state = "${RUN}/containerd"
[grpc]
  address = "${SOCK}"
[ttrpc]
  address = "${SOCK}.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "${STATE}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  # root cannot lower oom_score_adj in some VMs; without this the sandbox fails ("can't get final child's PID")
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${STATE}/cni/net.d"
EOF
  # A bridge of its own, no gateway and no masquerading: trials need an address, not the network.
  cat > "${STATE}/cni/net.d/10-gridsearch.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "gridsearch-${HASH}",
  "plugins": [
    {"type": "bridge", "bridge": "${BRIDGE}", "isGateway": false, "ipMasq": false, "hairpinMode": false,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "${POD_SUBNET}"}]], "dataDir": "${STATE}/cni/ipam"}},
    {"type": "loopback"}
  ]
}
EOF
}

# cgroupfs everywhere: the node's cgroups live under a root of its own, whatever the machine's init.
cgroup_driver() { echo cgroupfs; }

write_kubelet_config() {
  local port="$1" healthz="$2"
  mkdir -p "${STATE}/kubelet" "${STATE}/pod-logs" "${STATE}/volume-plugins"
  cat > "${STATE}/kubelet.yaml" <<EOF
# Generated by hack/realnode.sh for cluster '${CLUSTER}'.
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${NODE_IP}
port: ${port}
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: ${healthz}
# Only the API server's client certificate (signed by the cluster's CA) reaches the kubelet's API.
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: ${CLUSTER_DIR}/pki/ca.crt}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://${SOCK}
cgroupDriver: $(cgroup_driver)
cgroupRoot: ${CGROUP_ROOT}
# Kubernetes 1.34 refuses cgroup v1 unless told otherwise (it is in maintenance mode there).
failCgroupV1: false
failSwapOn: false
enforceNodeAllocatable: []
makeIPTablesUtilChains: false
registerWithTaints:
- {key: ${NODE_TAINT_KEY}, value: "true", effect: NoSchedule}
maxPods: 32
podLogsDir: ${STATE}/pod-logs
volumePluginDir: ${STATE}/volume-plugins
# Images are imported, never pulled: the kubelet must not collect them, nor evict for a full shared disk.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
serializeImagePulls: false
EOF
}

free_port() { # free_port <start>: the first port from start on that nothing listens on
  local p="$1"
  while [[ -n "$(ss -Htln "sport = :${p}" 2>/dev/null)" ]]; do p=$((p + 1)); done
  echo "${p}"
}

ensure_network() {
  # a bridge with no ports stands in for a dummy link (no dummy module in some VM kernels)
  ip link show "${DUMMY}" >/dev/null 2>&1 || ip link add "${DUMMY}" type bridge
  ip link set "${DUMMY}" up
  ip -4 addr show dev "${DUMMY}" | grep -q "inet ${NODE_IP}/" || ip addr add "${NODE_IP}/32" dev "${DUMMY}"
}

ensure_cgroup_root() {
  if [[ "$(cgroup_version)" == v2 ]]; then
    # (untested here: these machines have cgroup v1) the controllers must reach the node's root and below it
    local c
    for c in cpuset cpu io memory pids; do
      echo "+${c}" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
    done
    mkdir -p "/sys/fs/cgroup${CGROUP_ROOT}"
    for c in cpuset cpu io memory pids; do
      echo "+${c}" > "/sys/fs/cgroup${CGROUP_ROOT}/cgroup.subtree_control" 2>/dev/null || true
    done
  else
    local c
    for c in cpu cpuacct cpuset memory pids blkio devices freezer hugetlb systemd; do
      [[ -d "/sys/fs/cgroup/${c}" ]] || continue
      mkdir -p "/sys/fs/cgroup/${c}${CGROUP_ROOT}"
      # cpuset children start empty; copy the parent's so that processes may join
      if [[ "${c}" == cpuset ]]; then
        cat /sys/fs/cgroup/cpuset/cpuset.cpus > "/sys/fs/cgroup/cpuset${CGROUP_ROOT}/cpuset.cpus"
        cat /sys/fs/cgroup/cpuset/cpuset.mems > "/sys/fs/cgroup/cpuset${CGROUP_ROOT}/cpuset.mems"
      fi
    done
  fi
}

containerd_up() { ctr --address "${SOCK}" version >/dev/null 2>&1; }

start_containerd() {
  if [[ -n "$(pid_of containerd)" ]] && containerd_up; then return 0; fi
  write_containerd_config
  log "starting containerd $(containerd --version | awk '{print $3}') (socket ${SOCK})"
  start containerd containerd --config "${STATE}/containerd.toml"
  wait_until 30 "containerd" containerd_up || { tail -20 "${STATE}/logs/containerd.log" >&2; die "containerd did not start"; }
}

import_images() {
  local ref tar present t0
  present="$(ctr_ images ls -q)"
  while read -r ref tar; do
    grep -qxF "${ref}" <<<"${present}" && continue
    [[ -s "${tar}" ]] || die "image ${ref} is not built (${tar}); run hack/realnode.sh build"
    t0=${SECONDS}
    ctr_ images import --snapshotter overlayfs "${tar}" >/dev/null
    log "imported ${ref} in $((SECONDS - t0))s"
  done < <("${HACK_DIR}/images.sh" list)
}

# What the running kubelet was started against; a re-created cluster (new CA, new port) needs a new kubelet.
cluster_stamp() { cat "${KUBECONFIG_PATH}" "${CLUSTER_DIR}/pki/ca.crt" 2>/dev/null | sha256sum | cut -c1-16; }

node_ready() {
  [[ "$(kc get node "${NODE_NAME}" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

start_kubelet() {
  if [[ -n "$(pid_of kubelet)" ]]; then
    if [[ "$(cat "${RUN}/cluster.stamp" 2>/dev/null)" == "$(cluster_stamp)" ]]; then return 0; fi
    log "the cluster was re-created since the kubelet started; restarting the node"
    cmd_down
    start_containerd
    import_images
  fi
  local port healthz
  port="$(free_port 10250)"
  healthz="$(free_port 10248)"
  write_kubelet_config "${port}" "${healthz}"
  log "starting kubelet ${K8S_VERSION} (node ${NODE_NAME}, ${NODE_IP}:${port}, cgroup $(cgroup_version), $(cgroup_driver))"
  cluster_stamp > "${RUN}/cluster.stamp"
  start kubelet "$(bin_dir)/kubelet" --config "${STATE}/kubelet.yaml" --kubeconfig "${KUBECONFIG_PATH}" \
    --root-dir "${STATE}/kubelet" --cert-dir "${STATE}/kubelet/pki" --hostname-override "${NODE_NAME}" \
    --node-ip "${NODE_IP}" --node-labels "${NODE_LABEL}" --v 1
}

cmd_up() {
  local t0=${SECONDS} why
  why="$(why_not)"
  [[ -z "${why}" ]] || die "a real node cannot run here: ${why}"
  cmd_build
  "${HACK_DIR}/controlplane.sh" up >/dev/null 2>&1 || "${HACK_DIR}/controlplane.sh" up >/dev/null
  [[ -f "${KUBECONFIG_PATH}" ]] || die "no kubeconfig at ${KUBECONFIG_PATH}"
  if [[ -z "$(pid_of kubelet)" ]]; then
    runc_works || die "a real node cannot run here: runc could not run a container"
  fi
  ensure_network
  ensure_cgroup_root
  if [[ -z "$(pid_of kubelet)" && -d "${STATE}/kubelet" ]]; then
    # the processes of an earlier run were ended without `down`: clear their containers and mounts first
    log "clearing what an earlier run of this node left behind"
    start_containerd
    cmd_down
    ensure_network
  fi
  start_containerd
  import_images
  start_kubelet
  wait_until "${READY_TIMEOUT}" "node ${NODE_NAME} Ready" node_ready || {
    kill -0 "$(cat "${RUN}/kubelet.pid")" 2>/dev/null || log "the kubelet exited"
    grep -E '^E|rror' "${STATE}/logs/kubelet.log" | tail -15 >&2 || true
    die "node ${NODE_NAME} is not Ready (logs: ${STATE}/logs/kubelet.log, ${STATE}/logs/containerd.log)"
  }
  log "node ${NODE_NAME} Ready in $((SECONDS - t0))s (label ${NODE_LABEL}, taint ${NODE_TAINT_KEY}=true:NoSchedule)"
}

# ---------------------------------------------------------------------------
# down
# ---------------------------------------------------------------------------

stop_pid() { # stop_pid <name>: SIGTERM, SIGKILL after 10s
  local pid
  pid="$(pid_of "$1")" || { rm -f "${RUN}/$1.pid"; return 0; }
  kill -TERM "${pid}" 2>/dev/null || true
  local i
  for ((i = 0; i < 20; i++)); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "${pid}" 2>/dev/null || true
  rm -f "${RUN}/$1.pid"
}

# The containers' shims outlive containerd; ours name our socket on their command line.
our_shims() {
  local d
  for d in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null < "${d}/cmdline" | grep -q -- "-address ${SOCK} " && echo "${d#/proc/}"
  done
  return 0
}

remove_containers() {
  containerd_up || return 0
  local id netns
  for id in $(ctr_ containers ls -q); do
    # a sandbox's network namespace is a bind mount under /run/netns that containerd would remove on a CRI stop
    netns="$(ctr_ containers info "${id}" 2>/dev/null | grep -o '"path": "/[^"]*netns[^"]*"' | head -1 | cut -d'"' -f4 || true)"
    ctr_ tasks kill -s SIGKILL "${id}" >/dev/null 2>&1 || true
    ctr_ tasks delete -f "${id}" >/dev/null 2>&1 || true
    ctr_ containers rm "${id}" >/dev/null 2>&1 || true
    if [[ -n "${netns}" && "${netns}" == /run/netns/cni-* || "${netns}" == /var/run/netns/cni-* ]]; then
      umount "${netns}" 2>/dev/null || true
      rm -f "${netns}"
    fi
  done
}

unmount_under() { # unmount_under <dir>: every mount point below it, deepest first
  local m
  for m in $(awk -v d="$1/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount "${m}" 2>/dev/null || umount -l "${m}" 2>/dev/null || true
  done
}

cmd_down() {
  [[ -d "${STATE}" || -d "${RUN}" ]] || return 0
  [[ "$(id -u)" == 0 ]] || die "down needs root"
  log "stopping node ${NODE_NAME} of cluster '${CLUSTER}'"
  stop_pid kubelet
  remove_containers
  stop_pid containerd
  local pid
  for pid in $(our_shims); do kill -KILL "${pid}" 2>/dev/null || true; done
  unmount_under "${STATE}"
  unmount_under "${RUN}"
  ip link del "${BRIDGE}" 2>/dev/null || true
  ip link del "${DUMMY}" 2>/dev/null || true
  # the kubelet's pods are gone with it; the images stay in containerd's root for the next `up`
  rm -rf "${STATE}/kubelet" "${STATE}/cni/ipam" "${STATE}/pod-logs" "${RUN}"
  if [[ -f "${KUBECONFIG_PATH}" ]] && kc get --raw /readyz --request-timeout=3s >/dev/null 2>&1; then
    kc delete node "${NODE_NAME}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
}

cmd_status() {
  echo "node:       ${NODE_NAME} (cluster ${CLUSTER}, ${NODE_IP}, pods ${POD_SUBNET} on ${BRIDGE})"
  echo "state:      ${STATE}"
  echo "containerd: $( [[ -n "$(pid_of containerd)" ]] && echo "running (pid $(pid_of containerd))" || echo stopped)"
  echo "kubelet:    $( [[ -n "$(pid_of kubelet)" ]] && echo "running (pid $(pid_of kubelet))" || echo stopped)"
  if [[ -f "${KUBECONFIG_PATH}" ]]; then kc get node "${NODE_NAME}" -o wide 2>/dev/null || true; fi
}

case "${1:-}" in
  check) cmd_check ;;
  build) cmd_build ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  node-name) echo "${NODE_NAME}" ;;
  ctr) shift; ctr_ "$@" ;;
  *) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

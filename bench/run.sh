#!/usr/bin/env bash
# make bench: the operator against the bare-client baseline on the local control plane, side by side.
# See the README's "Performance" section for what is measured and how. Settings (environment):
#   BENCH_QUICK=1        small sizes (a smoke run; its numbers are not the README's)
#   BENCH_RUNS=3         rounds; every scenario runs once per round, baseline and operator back to back
#   BENCH_SCENARIOS="S1 S4 S5 JMH"   what to run (S2 and S3 are measured in the S1/S4/S5 runs)
#   BENCH_JOB_CREATE_RATE=10000      the operator's --job-create-rate in the throughput runs (default of the
#                                    operator: 50/s; BENCH_DEFAULT_RATE_RUN=1 adds one S1 run with it)
#   BENCH_MODES="baseline operator"  which side(s) to run (one side only is for profiling, not for the table)
#   BENCH_OPERATOR_JAVA_OPTS         extra JVM options for the operator, e.g. a flight recording:
#                                    "-XX:StartFlightRecording=filename=/tmp/op.jfr,settings=profile"
#   BENCH_JVM_OPTIONS                the operator's JVM options instead of the chart's (deploy/deployment.yaml)
#   BENCH_MEMORY_LIMIT=512Mi         the operator's memory cgroup limit (default: the chart's); BENCH_CGROUP=0 runs
#                                    it without a cgroup (then only RSS is reported)
#   BENCH_MALLOC_ARENA_MAX           glibc's MALLOC_ARENA_MAX for the operator (default: the chart's; empty: unset)
#   BENCH_OPERATOR_JAR               another build of the operator (e.g. a copy of an older jar beside target/lib)
#   BENCH_TIMEOUT_MINUTES=20         how long the load driver waits for a scenario in operator mode
#   BENCH_BUILD=0                    use the jars already built (e.g. while a test uses operator/target)
#   BENCH_NMT=1                      Native Memory Tracking: a summary every 10 s and a class histogram at the end
#   GRIDSEARCH_CLUSTER=bench, GRIDSEARCH_NODES=8, GRIDSEARCH_NODE_PODS=110: the control plane it starts/uses
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export GRIDSEARCH_CLUSTER="${GRIDSEARCH_CLUSTER:-bench}"
export GRIDSEARCH_NODES="${GRIDSEARCH_NODES:-8}"
export GRIDSEARCH_NODE_PODS="${GRIDSEARCH_NODE_PODS:-110}"
export GRIDSEARCH_AUDIT_POLICY="${ROOT}/bench/audit-policy.yaml"
# kube-controller-manager's own client is limited to 20 QPS by default, which holds its Job controller to ~5 Jobs/s
# here, far below what S1 needs (200 Jobs/s); the bench cluster lifts it for every run, baseline and operator alike.
export GRIDSEARCH_COMPONENT_QPS="${GRIDSEARCH_COMPONENT_QPS:-1000}"
QUICK="${BENCH_QUICK:-0}"
RUNS="${BENCH_RUNS:-3}"
SCENARIOS="${BENCH_SCENARIOS:-S1 S4 S5 JMH}"
RATE="${BENCH_JOB_CREATE_RATE:-10000}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${ROOT}/bench/results/${STAMP}"
mkdir -p "${OUT}"
log() { echo "[bench] $*" >&2; }

# The chart's JVM options and memory limit, as the Deployment sets them (deploy/ equals the chart's defaults).
CHART_JVM="$(python3 - "${ROOT}/deploy/deployment.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
block = text[text.index("command:"):]
opts = []
for line in block.splitlines()[1:]:
    m = re.match(r'\s*- "?([^"]*)"?\s*$', line)
    if not m or m.group(1) == "-jar":
        break
    if m.group(1) != "java":
        opts.append(m.group(1))
print(" ".join(opts))
PY
)"
CHART_LIMIT="$(sed -n 's/.*limits: {memory: \([0-9A-Za-z]*\)}.*/\1/p' "${ROOT}/deploy/deployment.yaml" | head -1)"
CHART_ARENAS="$(sed -n 's/.*{name: MALLOC_ARENA_MAX, value: "\([0-9]*\)"}.*/\1/p' "${ROOT}/deploy/deployment.yaml")"
JVM_OPTIONS="${BENCH_JVM_OPTIONS:-${CHART_JVM}}"
ARENAS="${BENCH_MALLOC_ARENA_MAX-${CHART_ARENAS}}"
MEMORY_LIMIT="${BENCH_MEMORY_LIMIT:-${CHART_LIMIT}}"
USE_CGROUP="${BENCH_CGROUP:-1}"
NMT="${BENCH_NMT:-0}"
bytes() { python3 -c "import sys; u={'Ki':1<<10,'Mi':1<<20,'Gi':1<<30,'':1}; s=sys.argv[1]; n=s.rstrip('KMGi'); print(int(n)*u[s[len(n):]])" "$1"; }

# The operator's memory cgroup (v1: memory.limit_in_bytes; v2: memory.max), below this shell's own, as a container's.
CG_V2=0
cgroup_create() { # name -> prints the directory
  local name="$1" parent
  if [[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]]; then
    parent="/sys/fs/cgroup/memory$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)"
    mkdir -p "${parent}/${name}" && echo "$(bytes "${MEMORY_LIMIT}")" > "${parent}/${name}/memory.limit_in_bytes" \
      || return 1
    [[ ! -f "${parent}/${name}/memory.memsw.limit_in_bytes" ]] \
      || echo "$(bytes "${MEMORY_LIMIT}")" > "${parent}/${name}/memory.memsw.limit_in_bytes"
  elif [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    CG_V2=1
    parent="/sys/fs/cgroup$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)"
    # A cgroup with processes cannot hand controllers to children: a sibling, unless ours already delegates memory.
    if ! grep -qw memory "${parent}/cgroup.subtree_control"; then
      grep -qw memory "${parent}/cgroup.controllers" || return 1
      parent="$(dirname "${parent}")"
    fi
    mkdir -p "${parent}/${name}" && echo "$(bytes "${MEMORY_LIMIT}")" > "${parent}/${name}/memory.max" || return 1
  else
    return 1
  fi
  echo "${parent}/${name}"
}
cg_file() { # dir v1-name v2-name
  if [[ "${CG_V2}" == 1 ]]; then echo "$1/$3"; else echo "$1/$2"; fi
}
cg_oom_kills() { awk '$1 == "oom_kill" {print $2}' "$(cg_file "$1" memory.oom_control memory.events)"; }

MVN="${MVN:-mvn -B -ntp}"
if [[ "${BENCH_BUILD:-1}" == 1 ]]; then
  log "building the operator and the bench module"
  ${MVN} -q -Pbench -DskipTests package -pl bench -am
fi
OP_JAR="${BENCH_OPERATOR_JAR:-${ROOT}/operator/target/gridsearch-operator.jar}"
BENCH_CP="${ROOT}/bench/target/gridsearch-bench-0.1.0-SNAPSHOT.jar:${ROOT}/bench/target/lib/*"

hack/controlplane.sh up >/dev/null
eval "$(hack/controlplane.sh env)"
kc() { hack/controlplane.sh kubectl "$@"; }
AUDIT_LOG="${HOME}/.kwok/clusters/${GRIDSEARCH_CLUSTER}/logs/audit.log"
[[ -f "${AUDIT_LOG}" ]] || log "WARNING: no audit log at ${AUDIT_LOG}: per-identity request counts will be missing"

# Two identities the audit policy logs: the operator's and the bare client's ServiceAccounts.
kc apply -f crd/gridsearches.gridsearch.dev-v1.yml >/dev/null
kc create namespace bench-sys --dry-run=client -o yaml | kc apply -f - >/dev/null
server="$(kc config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
ca="$(kc config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')"
for who in operator baseline; do
  kc -n bench-sys create serviceaccount "${who}" --dry-run=client -o yaml | kc apply -f - >/dev/null
  kc create clusterrolebinding "bench-${who}" --clusterrole=cluster-admin \
    --serviceaccount="bench-sys:${who}" --dry-run=client -o yaml | kc apply -f - >/dev/null
  token="$(kc -n bench-sys create token "${who}" --duration=24h)"
  cat > "${OUT}/kubeconfig-${who}.yaml" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "${server}", certificate-authority: "${ca}"}}]
users: [{name: ${who}, user: {token: "${token}"}}]
contexts: [{name: bench, context: {cluster: bench, user: ${who}}}]
current-context: bench
EOF
done

# --- GridSearch manifests ------------------------------------------------------------------------------
gs_yaml() { # name x_max y_max parallelism maxTrials(0 = none)
  local budget=""
  [[ "$5" == 0 ]] || budget="  budget: {maxTrials: $5}"
  local y=""
  [[ "$3" == 0 ]] || y="    - {name: y, range: {min: 0, max: $3, step: 1}}"
  cat <<EOF
apiVersion: gridsearch.dev/v1alpha1
kind: GridSearch
metadata: {name: $1}
spec:
  parameters:
    - {name: x, range: {min: 0, max: $2, step: 1}}
${y}
  objective: {metric: acc, goal: Maximize}
  parallelism: $4
${budget}
  trialTemplate:
    spec:
      template:
        metadata:
          annotations:
            sim.gridsearch.dev/duration: 1s
            sim.gridsearch.dev/message: 'acc=\${params.x}'
        spec:
          restartPolicy: Never
          containers: [{name: train, image: busybox:1.36}]
EOF
}

if [[ "${QUICK}" == 1 ]]; then
  S1_N=400; S1_P=100; S4_X=999; S4_Y=999; S4_N=1000; S4_P=200; S5_K=10; S5_N=50; S5_P=10
else
  S1_N=2000; S1_P=200; S4_X=999; S4_Y=999; S4_N=5000; S4_P=500; S5_K=50; S5_N=100; S5_P=10
fi
mkdir -p "${OUT}/manifests/S1" "${OUT}/manifests/S4" "${OUT}/manifests/S5"
gs_yaml s1 $((S1_N - 1)) 0 "${S1_P}" 0 > "${OUT}/manifests/S1/s1.yaml"
gs_yaml s4 "${S4_X}" "${S4_Y}" "${S4_P}" "${S4_N}" > "${OUT}/manifests/S4/s4.yaml"
for ((k = 0; k < S5_K; k++)); do
  gs_yaml "s5-$(printf %02d "${k}")" $((S5_N - 1)) 0 "${S5_P}" 0 > "${OUT}/manifests/S5/s5-$(printf %02d "${k}").yaml"
done

# --- one measured run -------------------------------------------------------------------------------------
OP_PID=""
stop_operator() {
  if [[ -n "${OP_PID}" ]] && kill -0 "${OP_PID}" 2>/dev/null; then
    kill "${OP_PID}"; wait "${OP_PID}" 2>/dev/null || true
  fi
  OP_PID=""
}
trap 'stop_operator' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The machine's busy and total CPU ticks, and each control-plane component's: where a run's CPU went.
cpu_snapshot() {
  local out pid c
  out="{\"clkTck\":$(getconf CLK_TCK),\"machine\":$(awk '/^cpu /{b = $2 + $3 + $4 + $7 + $8 + $9; print "[" b "," b + $5 + $6 "]"}' /proc/stat)"
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller; do
    pid="$(pgrep -f "clusters/${GRIDSEARCH_CLUSTER}/bin/${c} " | head -1 || true)"
    out+=",\"${c}\":$( [[ -n "${pid}" ]] && cpu_ticks "${pid}" || echo null)"
  done
  echo "${out}}"
}

run_case() { # scenario mode run rate
  local scen="$1" mode="$2" run="$3" rate="$4" tag="$1-$2-r$3"
  [[ "${rate}" == "${RATE}" ]] || tag="${tag}-rate${rate}"
  local ns="bench-$(echo "${tag}" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9-\n' '-')"
  kc create namespace "${ns}" >/dev/null
  local dir="${OUT}/${tag}"; mkdir -p "${dir}"
  echo "{\"scenario\":\"${scen}\",\"mode\":\"${mode}\",\"run\":${run},\"namespace\":\"${ns}\",\"jobCreateRate\":${rate}}" \
    > "${dir}/case.json"
  local loadcfg="${KUBECONFIG}"
  if [[ "${mode}" == operator ]]; then
    local port=$((18000 + RANDOM % 1000))
    local cg="" join=""
    if [[ "${USE_CGROUP}" == 1 ]]; then
      cg="$(cgroup_create "bench-${ns}")" || { log "cannot create a memory cgroup (root and the memory controller are"\
        "needed); BENCH_CGROUP=0 runs without one, reporting RSS only"; exit 1; }
      join="echo \$\$ > '${cg}/cgroup.procs' && "
    fi
    local nmt_opt=""
    [[ "${NMT}" == 1 ]] && nmt_opt="-XX:NativeMemoryTracking=summary"
    echo "{\"jvmOptions\":\"${JVM_OPTIONS} ${BENCH_OPERATOR_JAVA_OPTS:-} ${nmt_opt}\",\"memoryLimit\":\"${MEMORY_LIMIT}\",\"mallocArenaMax\":\"${ARENAS}\",\"cgroup\":\"${cg}\"}" \
      > "${dir}/jvm.json"
    # A shell joins the cgroup and execs java: everything the JVM touches is charged there, as in a container.
    local arenas=""
    [[ -z "${ARENAS}" ]] || arenas="MALLOC_ARENA_MAX=${ARENAS}"
    KUBECONFIG="${OUT}/kubeconfig-operator.yaml" /bin/sh -c "${join}exec env ${arenas} java ${JVM_OPTIONS} ${nmt_opt} \
      -Xlog:gc:file=${dir}/gc.log:timemillis ${BENCH_OPERATOR_JAVA_OPTS:-} \
      -jar '${OP_JAR}' --watch-namespaces='${ns}' --http-port='${port}' --job-create-rate='${rate}' \
      --lease-namespace=bench-sys --lease-name='lease-${ns}' --log-level=warn" > "${dir}/operator.log" 2>&1 &
    OP_PID=$!
    local i
    for ((i = 0; i < 120; i++)); do
      curl -fsS "http://127.0.0.1:${port}/readyz" 2>/dev/null | grep -q leader && break
      sleep 0.5
    done
    # RSS (kB), CPU and the cgroup's usage and working set (kB) every 250 ms, with the load driver's wall clock (ms).
    # Once 1000 trials are done, and again at the end, a full GC: the GC log then shows the live heap.
    ( local gc_done=0 n=0 usage ws
      while kill -0 "${OP_PID}" 2>/dev/null; do
        usage=- ws=-
        if [[ -n "${cg}" ]]; then
          usage=$(( $(cat "$(cg_file "${cg}" memory.usage_in_bytes memory.current)") / 1024 ))
          ws=$(( usage - $(awk '$1 == "total_inactive_file" || $1 == "inactive_file" {print $2}' "${cg}/memory.stat" | head -1) / 1024 ))
        fi
        echo "$(date +%s%3N) $(awk '/VmRSS/{print $2}' /proc/${OP_PID}/status 2>/dev/null) $(cpu_ticks "${OP_PID}" 2>/dev/null) ${usage} ${ws}"
        if [[ "${gc_done}" == 0 ]] && grep -q '1000 trials finished' "${dir}/load.log" 2>/dev/null; then
          jcmd "${OP_PID}" GC.run >/dev/null 2>&1 || true
          gc_done=1
        fi
        if [[ "${NMT}" == 1 ]] && (( n % 40 == 0 )); then
          jcmd "${OP_PID}" VM.native_memory summary > "${dir}/nmt-$(date +%s%3N).txt" 2>/dev/null || true
        fi
        n=$((n + 1))
        sleep 0.25
      done ) > "${dir}/samples.txt" 2>/dev/null &
    local sampler=$!
    # Which HTTP client Fabric8 picked at random for the operator (Vert.x has event-loop threads).
    if jcmd "${OP_PID}" Thread.print 2>/dev/null | grep -q 'vert.x-eventloop'; then echo vertx; else echo jdk; fi \
      > "${dir}/httpclient.txt"
    local cpu0; cpu0="$(cpu_ticks "${OP_PID}")"
    cpu_snapshot > "${dir}/cpu-start.json"
    java -Dbench.timeoutMinutes="${BENCH_TIMEOUT_MINUTES:-20}" -cp "${BENCH_CP}" dev.gridsearch.bench.Load operator "${ns}" "${dir}/load.json" "${OUT}/manifests/${scen}"/*.yaml \
      2> "${dir}/load.log" &
    local load_pid=$!
    # An operator that dies (e.g. OOM-killed) ends the run at once rather than at the load driver's timeout.
    ( while kill -0 "${OP_PID}" 2>/dev/null; do sleep 1; done; kill "${load_pid}" 2>/dev/null ) &
    local watchdog=$!
    wait "${load_pid}" || log "${tag}: the load driver failed or was stopped (see ${dir}/load.log)"
    kill "${watchdog}" 2>/dev/null || true
    cpu_snapshot > "${dir}/cpu-end.json"
    local cpu1; cpu1="$(cpu_ticks "${OP_PID}" 2>/dev/null || echo "${cpu0}")"
    [[ "${NMT}" == 1 ]] && jcmd "${OP_PID}" GC.class_histogram > "${dir}/histogram-end.txt" 2>/dev/null
    jcmd "${OP_PID}" GC.run >/dev/null 2>&1 || true
    curl -fsS "http://127.0.0.1:${port}/metrics" > "${dir}/operator-metrics.txt" 2>/dev/null || true
    local hwm alive=true
    hwm="$(awk '/VmHWM/{print $2}' /proc/${OP_PID}/status 2>/dev/null || true)"
    kill -0 "${OP_PID}" 2>/dev/null || alive=false
    local cgj="null"
    if [[ -n "${cg}" ]]; then
      cgj="{\"limitBytes\":$(cat "$(cg_file "${cg}" memory.limit_in_bytes memory.max)"),\"peakBytes\":$(cat "$(cg_file "${cg}" memory.max_usage_in_bytes memory.peak)" 2>/dev/null || echo null),\"oomKills\":$(cg_oom_kills "${cg}")}"
    fi
    echo "{\"cpuTicks\":$((cpu1 - cpu0)),\"clkTck\":$(getconf CLK_TCK),\"vmHwmKb\":${hwm:-null},\"aliveAtEnd\":${alive},\"cgroup\":${cgj}}" \
      > "${dir}/process.json"
    [[ "${alive}" == true ]] || log "${tag}: THE OPERATOR DIED during the run (cgroup: ${cgj}); see ${dir}/operator.log"
    stop_operator
    kill "${sampler}" 2>/dev/null || true
    wait "${sampler}" 2>/dev/null || true
    [[ -z "${cg}" ]] || rmdir "${cg}" 2>/dev/null || log "cgroup ${cg} not removed (still busy)"
  else
    cpu_snapshot > "${dir}/cpu-start.json"
    KUBECONFIG="${OUT}/kubeconfig-baseline.yaml" java -cp "${BENCH_CP}" dev.gridsearch.bench.Load baseline "${ns}" \
      "${dir}/load.json" "${OUT}/manifests/${scen}"/*.yaml 2> "${dir}/load.log" \
      || log "${tag}: the load driver failed (see ${dir}/load.log)"
    cpu_snapshot > "${dir}/cpu-end.json"
  fi
  tail -1 "${dir}/load.log" >&2
  kc delete namespace "${ns}" --wait=true --timeout=300s >/dev/null || log "namespace ${ns} not gone yet"
  sleep 2
}

log "results: ${OUT}"
echo "{\"quick\":${QUICK},\"runs\":${RUNS},\"jobCreateRate\":${RATE},\"nodes\":${GRIDSEARCH_NODES},\"nodePods\":${GRIDSEARCH_NODE_PODS},\"componentQps\":${GRIDSEARCH_COMPONENT_QPS},\"nproc\":$(nproc),\"loadavgStart\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"auditLog\":\"${AUDIT_LOG}\"}" > "${OUT}/meta.json"
for ((r = 1; r <= RUNS; r++)); do
  for scen in ${SCENARIOS}; do
    [[ "${scen}" == JMH ]] && continue
    log "round ${r}/${RUNS}: ${scen}"
    # Later runs on one control plane tend to be slower; alternating the order keeps that from favouring one side.
    modes="${BENCH_MODES:-baseline operator}"
    (( r % 2 == 0 )) && modes="$(echo "${modes}" | tr ' ' '\n' | tac | tr '\n' ' ')"
    for mode in ${modes}; do
      run_case "${scen}" "${mode}" "${r}" "${RATE}"
    done
  done
done
if [[ "${BENCH_DEFAULT_RATE_RUN:-0}" == 1 ]]; then
  log "S1 with the operator's default Job-creation rate (50/s)"
  run_case S1 operator 1 50
fi
if [[ " ${SCENARIOS} " == *" JMH "* ]]; then
  log "JMH: Planner.plan() and Grid.assignment()"
  if [[ "${QUICK}" == 1 ]]; then jmh_opts=(-wi 1 -i 2 -w 1 -r 1); else jmh_opts=(); fi
  java -cp "${BENCH_CP}" org.openjdk.jmh.Main "${jmh_opts[@]}" -rf json -rff "${OUT}/jmh.json" 'dev.gridsearch.bench.jmh.*' \
    > "${OUT}/jmh.txt" 2>&1 || log "JMH failed (see ${OUT}/jmh.txt)"
fi
echo "{\"loadavgEnd\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" > "${OUT}/meta-end.json"
python3 "${ROOT}/bench/analyze.py" "${OUT}"

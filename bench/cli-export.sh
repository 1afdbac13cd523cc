#!/usr/bin/env bash
# The kubectl gridsearch CSV export of a large search, measured on the local control plane: N trial
# records (default 100,000) in real results ConfigMaps of under 900 KiB, as the operator shards them,
# and a GridSearch whose status names them; then `results -o csv` with a bounded heap, timed, with the
# peak RSS. Needs the plugin built (make install-cli, or mvn -pl cli -am package) and
# hack/controlplane.sh up (GRIDSEARCH_CLUSTER picks the cluster). Leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
HEAP=${HEAP:-64m}
eval "$(hack/controlplane.sh env)"
KUBECTL_BIN=$(ls "$HOME"/.cache/gridsearch-operator/controlplane/*/bin/kubectl | head -1)
kubectl() { "$KUBECTL_BIN" "$@"; }
ns=cli-bench-$RANDOM
work=$(mktemp -d)
trap 'kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
kubectl create namespace "$ns" >/dev/null
kubectl apply -f crd/gridsearches.gridsearch.dev-v1.yml >/dev/null
python3 - "$N" "$ns" "$work" <<'PY'
import json, sys
n, ns, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# 100 × 100 × 10 values: a, b and c as the operator would render them.
def params(i):
    return {"a": str(i // 1000 % 100), "b": str(i // 10 % 100), "c": str(i % 10)}
shards, cur, size = [], {}, 0
for i in range(n):
    acc = round(((i * 7919) % 10007) / 10007, 6)
    rec = {"trial": i, "job": f"big-{i}", "state": "Succeeded", "parameters": params(i), "value": acc,
           "metrics": {"accuracy": acc, "loss": round(1 - acc, 6)},
           "startTime": "2026-11-29T09:05:17Z", "finishTime": "2026-11-29T09:05:24Z",
           "point": i, "repeat": 0, "fold": 0}
    text = json.dumps(rec, separators=(",", ":"))
    if size + len(text) + 8 > 900 * 1024 and cur:
        shards.append(cur); cur, size = {}, 0
    cur[str(i)] = text; size += len(text) + 8
shards.append(cur)
for k, data in enumerate(shards):
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": f"big-results-{k}", "namespace": ns, "labels": {"gridsearch.dev/name": "big"}},
          "data": data}
    json.dump(cm, open(f"{work}/cm-{k}.json", "w"))
gs = {"apiVersion": "gridsearch.dev/v1alpha1", "kind": "GridSearch", "metadata": {"name": "big", "namespace": ns},
      "spec": {"parameters": [{"name": "a", "range": {"min": 0, "max": 99, "step": 1}},
                              {"name": "b", "range": {"min": 0, "max": 99, "step": 1}},
                              {"name": "c", "range": {"min": 0, "max": 9, "step": 1}}],
               "objective": {"metric": "accuracy", "goal": "Maximize"},
               "trialTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never",
                   "containers": [{"name": "t", "image": "busybox"}]}}}}}}
json.dump(gs, open(f"{work}/gs.json", "w"))
status = {"status": {"phase": "Succeeded", "gridSize": n, "totalTrials": n, "launched": n, "progress": f"{n}/{n}",
          "results": {"configMaps": [f"big-results-{k}" for k in range(len(shards))], "records": n}}}
json.dump(status, open(f"{work}/status.json", "w"))
print(f"[cli-export] {n} records in {len(shards)} ConfigMaps", file=sys.stderr)
PY
for f in "$work"/cm-*.json; do kubectl create -f "$f" >/dev/null; done
kubectl create -f "$work/gs.json" >/dev/null
kubectl patch gridsearch big -n "$ns" --subresource=status --type=merge --patch-file "$work/status.json" >/dev/null
bin=${KUBECTL_GRIDSEARCH:-$HOME/.local/bin/kubectl-gridsearch}
[[ -x $bin ]] || { echo "[cli-export] $bin missing: make install-cli (or set KUBECTL_GRIDSEARCH)" >&2; exit 1; }
run() { # label args...
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  KUBECTL_GRIDSEARCH_JAVA_OPTS="-Xmx$HEAP ${KUBECTL_GRIDSEARCH_JAVA_OPTS_EXTRA:-}" /usr/bin/time -f "%M" -o "$work/rss" "$bin" "$@" -n "$ns" > "$work/out"
  t1=$(date +%s.%N)
  printf '[cli-export] %-28s %6.2f s  peak RSS %4d MiB  -Xmx%s  %d lines, %d KiB\n' "$label" \
    "$(echo "$t1 - $t0" | bc)" $(( $(cat "$work/rss") / 1024 )) "$HEAP" "$(wc -l < "$work/out")" $(( $(stat -c %s "$work/out") / 1024 ))
}
run "results -o csv" results big -o csv
KUBECTL_GRIDSEARCH_JAVA_OPTS_EXTRA="-XX:TieredStopAtLevel=4" run "results -o csv (C2)" results big -o csv
run "results -o jsonl" results big -o jsonl
run "results --top 10" results big --top 10
run "heatmap --x a --y b" heatmap big --x a --y b
run "report" report big -o "$work/report.html"
head -3 "$work/out" >/dev/null

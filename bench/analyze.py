#!/usr/bin/env python3
"""Reads one bench/results/<stamp>/ directory, prints the table and writes summary.json next to it.

Per run: makespan (t0 = the GridSearches' create call, or the baseline's first create; end = the last Job's
Complete event on the recorder's watch), launch latency (see pair_latencies), API requests per identity from the
kube-apiserver audit log (time window of the run), operator CPU and RSS. Across runs: the median.
"""
import glob
import json
import math
import os
import re
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok-controller")
WRITE_VERBS = {"create", "update", "patch", "delete", "deletecollection"}
USERS = {"operator": "system:serviceaccount:bench-sys:operator",
         "baseline": "system:serviceaccount:bench-sys:baseline"}


def pct(xs, q):
    if not xs:
        return None
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, math.ceil(q / 100 * len(xs)) - 1))
    return xs[k]


GC_LINE = re.compile(r"^\[(\d+)ms\].*Pause (\w+).* (\d+)M->(\d+)M\(\d+M\)")


def gc_after(path, kind):
    """(epoch ms, MB) of heap in use after each GC pause of this kind, from -Xlog:gc:file=...:timemillis."""
    if not os.path.exists(path):
        return []
    return [(int(m.group(1)), int(m.group(4))) for m in map(GC_LINE.match, open(path)) if m and m.group(2) == kind]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def pair_latencies(load):
    """Slot-refill latency, per search: with parallelism p, the k-th Job to finish frees the slot that the
    (k+p)-th Job to be created fills (slots are interchangeable and never more than p are unfinished), so
    latency_k = created[k+p] - finished[k], both as seen by the recorder's one watch (ADDED and Complete events)."""
    by = defaultdict(list)
    for j in load["jobs"]:
        by[j["search"]].append(j)
    lats = []
    for search, jobs in by.items():
        p = load["parallelism"][search]
        done = sorted(j["done"] for j in jobs)
        added = sorted(j["added"] for j in jobs)
        for k in range(len(added) - p):
            lats.append(added[k + p] - done[k])
    return lats


def parse_ts(s):
    """RFC 3339 UTC with microseconds (2026-01-01T10:00:00.123456Z) to epoch milliseconds."""
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in s else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.strptime(s, fmt).replace(tzinfo=timezone.utc).timestamp() * 1000


def audit_files(path):
    """The audit log and the files kube-apiserver rotated it into (audit-<time>.log, 100 MB each)."""
    stem, _ = os.path.splitext(os.path.basename(path))
    folder = os.path.dirname(path)
    rotated = sorted(glob.glob(os.path.join(folder, stem + "-*.log")))
    return rotated + ([path] if os.path.exists(path) else [])


def load_audit(path):
    events = []
    for name in audit_files(path):
        events.extend(read_audit(name))
    return events


def read_audit(path):
    events = []
    with open(path) as f:
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            user = e.get("user", {}).get("username")
            if user not in USERS.values():
                continue
            ref = e.get("objectRef", {})
            res = ref.get("resource", "?") + ("/" + ref["subresource"] if ref.get("subresource") else "")
            if ref.get("apiGroup"):
                res = res + "." + ref["apiGroup"]
            ts = e["requestReceivedTimestamp"]
            events.append((parse_ts(ts), user, e["verb"], res,
                           ref.get("namespace")))
    return events


def memory(d):
    """The operator's memory cgroup: the kernel's peak (page cache included), the sampled peak working set (usage
    minus inactive file pages, what the kubelet evicts on), the limit, OOM kills; and whether it was alive at the end."""
    r = {}
    pj = os.path.join(d, "process.json")
    if not os.path.exists(pj):
        return r
    p = json.load(open(pj))
    r["alive_at_end"] = p.get("aliveAtEnd", True)
    cg = p.get("cgroup")
    if cg:
        r["cgroup_limit_mb"] = cg["limitBytes"] / 2**20
        r["cgroup_peak_mb"] = cg["peakBytes"] / 2**20 if cg.get("peakBytes") is not None else None
        r["oom_kills"] = cg["oomKills"]
    sf = os.path.join(d, "samples.txt")
    if os.path.exists(sf):
        ws = [int(x.split()[4]) for x in open(sf) if len(x.split()) >= 5 and x.split()[4].lstrip("-").isdigit()]
        if ws:
            r["cgroup_working_set_peak_mb"] = max(ws) / 1024
    if r.get("cgroup_peak_mb") is None and r.get("cgroup_working_set_peak_mb") is not None:
        r["cgroup_peak_mb"] = r["cgroup_working_set_peak_mb"]
    if r.get("cgroup_peak_mb") is not None and r.get("cgroup_limit_mb"):
        r["cgroup_peak_pct"] = 100 * r["cgroup_peak_mb"] / r["cgroup_limit_mb"]
    return r


def main(out):
    meta = json.load(open(os.path.join(out, "meta.json")))
    end_meta = json.load(open(os.path.join(out, "meta-end.json"))) if os.path.exists(
        os.path.join(out, "meta-end.json")) else {}
    audit = load_audit(meta["auditLog"])
    cases = []
    died = []
    for d in sorted(os.listdir(out)):
        cj = os.path.join(out, d, "case.json")
        lj = os.path.join(out, d, "load.json")
        if not os.path.exists(cj):
            continue
        if not os.path.exists(lj):
            # No result: the load driver was stopped, e.g. because the operator died; say so, loudly.
            case = json.load(open(cj))
            died.append(dict(case, **memory(os.path.join(out, d))))
            continue
        case = json.load(open(cj))
        load = json.load(open(lj))
        n = len(load["jobs"])
        t0 = load["t0"]
        end = max(j["done"] for j in load["jobs"]) if load["jobs"] else None
        r = dict(case)
        r["trials"] = n
        r["expected"] = load["expected"]
        r["complete"] = load["complete"]
        r["makespan_s"] = (end - t0) / 1000 if end else None
        pars = load["parallelism"]
        ideal = max(math.ceil(load["trials"][s] / pars[s]) for s in pars) * 1.0
        r["ideal_s"] = ideal
        lats = pair_latencies(load)
        r["launch_p50_ms"] = pct(lats, 50)
        r["launch_p99_ms"] = pct(lats, 99)
        r["launch_pairs"] = len(lats)
        # fairness: each search's finish (its last trial) relative to t0
        fin = defaultdict(int)
        for j in load["jobs"]:
            fin[j["search"]] = max(fin[j["search"]], j["done"])
        fins = sorted((v - t0) / 1000 for v in fin.values())
        if len(fins) > 1:
            r["search_finish_min_s"], r["search_finish_max_s"] = fins[0], fins[-1]
            r["search_finish_spread_s"] = fins[-1] - fins[0]
            r["search_finish_stdev_s"] = statistics.pstdev(fins)
        # API requests of this run's identity, in [t0, final] (operator: until every search reported its phase)
        user = USERS[case["mode"]]
        t_hi = load.get("tFinal", load["tEnd"]) + 1000
        reqs = Counter()
        for ts, u, verb, res, ns in audit:
            if u == user and t0 <= ts <= t_hi:
                reqs[(verb, res)] += 1
        r["requests"] = {f"{v} {res}": c for (v, res), c in sorted(reqs.items())}
        r["requests_total"] = sum(reqs.values())
        r["writes"] = sum(c for (v, _), c in reqs.items() if v in WRITE_VERBS)
        r["writes_per_trial"] = r["writes"] / n if n else None
        r["writes_per_trial_excl_lease"] = sum(c for (v, res), c in reqs.items()
                                               if v in WRITE_VERBS and not res.startswith("leases")) / n if n else None
        cpu = [os.path.join(out, d, f) for f in ("cpu-start.json", "cpu-end.json")]
        if all(os.path.exists(f) for f in cpu) and n:
            a, b = (json.load(open(f)) for f in cpu)
            r["machine_busy"] = (b["machine"][0] - a["machine"][0]) / max(1, b["machine"][1] - a["machine"][1])
            r["components_cpu_s_per_1000"] = {c: (b[c] - a[c]) / a["clkTck"] / n * 1000 for c in COMPONENTS
                                              if a.get(c) is not None and b.get(c) is not None}
        if case["mode"] == "operator":
            hc = os.path.join(out, d, "httpclient.txt")
            r["operator_httpclient"] = open(hc).read().strip() if os.path.exists(hc) else None
            r["status_bytes_max"] = load.get("statusBytesMax")
            pj = os.path.join(out, d, "process.json")
            if os.path.exists(pj):
                p = json.load(open(pj))
                r["cpu_s"] = p["cpuTicks"] / p["clkTck"]
                r["cpu_s_per_1000"] = r["cpu_s"] / n * 1000 if n else None
                r["peak_rss_mb"] = p["vmHwmKb"] / 1024 if p.get("vmHwmKb") is not None else None
                r["peak_rss_mb_per_1000"] = r["peak_rss_mb"] / (n / 1000) if n and r["peak_rss_mb"] else None
            r.update(memory(os.path.join(out, d)))
            sf = os.path.join(out, d, "samples.txt")
            if os.path.exists(sf) and n >= 2000:
                samples = []
                for line in open(sf):
                    parts = line.split()
                    if len(parts) >= 2 and parts[1].isdigit():
                        samples.append((int(parts[0]), int(parts[1])))
                done = sorted(j["done"] for j in load["jobs"])
                first = [kb for ts, kb in samples if t0 <= ts <= done[999]]
                last = [kb for ts, kb in samples if done[-1000] <= ts <= done[-1]]
                if first and last:
                    r["rss_first1000_mb"] = max(first) / 1024
                    r["rss_last1000_mb"] = max(last) / 1024
                    r["rss_growth"] = max(last) / max(first) - 1
            # The live heap (RSS also holds heap the JVM keeps after collecting): run.sh forces a full GC once
            # 1000 trials are done and again at the end; each leaves only live objects.
            full = gc_after(os.path.join(out, d, "gc.log"), "Full")
            if len(full) >= 2:
                r["live_heap_at1000_mb"] = full[0][1]
                r["live_heap_end_mb"] = full[-1][1]
                r["live_heap_growth"] = full[-1][1] / max(1, full[0][1]) - 1
        cases.append(r)

    # medians per (scenario, mode, rate)
    groups = defaultdict(list)
    for r in cases:
        groups[(r["scenario"], r["mode"], r["jobCreateRate"])].append(r)
    keys = ["makespan_s", "ideal_s", "launch_p50_ms", "launch_p99_ms", "requests_total", "writes_per_trial",
            "writes_per_trial_excl_lease", "cpu_s_per_1000", "peak_rss_mb", "peak_rss_mb_per_1000",
            "status_bytes_max", "rss_first1000_mb", "rss_last1000_mb", "rss_growth", "live_heap_at1000_mb",
            "live_heap_end_mb", "live_heap_growth", "machine_busy", "search_finish_spread_s",
            "search_finish_stdev_s", "search_finish_min_s", "search_finish_max_s", "trials", "cgroup_peak_mb",
            "cgroup_limit_mb", "cgroup_peak_pct", "cgroup_working_set_peak_mb"]
    medians = {}
    for (scen, mode, rate), rs in sorted(groups.items()):
        m = {k: med([r.get(k) for r in rs]) for k in keys}
        m["runs"] = len(rs)
        m["oom_kills"] = sum(r.get("oom_kills") or 0 for r in rs)
        m["cgroup_peak_pct_max"] = max((r["cgroup_peak_pct"] for r in rs if r.get("cgroup_peak_pct")), default=None)
        m["all_complete"] = all(r["complete"] for r in rs)
        m["makespans"] = [r["makespan_s"] for r in rs]
        # per-trial requests by verb and resource: median over runs
        allk = sorted({k for r in rs for k in r["requests"]})
        m["requests_per_trial"] = {k: med([r["requests"].get(k, 0) / r["trials"] for r in rs]) for k in allk}
        m["components_cpu_s_per_1000"] = {c: med([r.get("components_cpu_s_per_1000", {}).get(c) for r in rs])
                                          for c in COMPONENTS}
        medians[f"{scen}/{mode}/rate{rate}"] = m
    summary = {"meta": meta, "end": end_meta, "medians": medians, "runs": cases, "died": died}
    for scen in ("S1", "S4", "S5"):
        b = medians.get(f"{scen}/baseline/rate{meta['jobCreateRate']}")
        o = medians.get(f"{scen}/operator/rate{meta['jobCreateRate']}")
        if b and o and b["makespan_s"] and o["makespan_s"]:
            # ratio of medians, and the median of the per-round ratios
            rounds = {r["run"]: r for r in cases if r["scenario"] == scen and r["mode"] == "baseline"}
            per = [r["makespan_s"] / rounds[r["run"]]["makespan_s"] for r in cases
                   if r["scenario"] == scen and r["mode"] == "operator" and r["run"] in rounds
                   and r["jobCreateRate"] == meta["jobCreateRate"]]
            o["ratio_to_baseline"] = o["makespan_s"] / b["makespan_s"]
            o["ratio_to_baseline_per_round_median"] = med(per)
            o["ratio_to_ideal"] = o["makespan_s"] / o["ideal_s"]
            b["ratio_to_ideal"] = b["makespan_s"] / b["ideal_s"]
    jmh = os.path.join(out, "jmh.json")
    if os.path.exists(jmh):
        summary["jmh"] = [{"benchmark": j["benchmark"].split(".")[-2] + "." + j["benchmark"].split(".")[-1],
                           "params": j.get("params", {}), "score": j["primaryMetric"]["score"],
                           "error": j["primaryMetric"]["scoreError"], "unit": j["primaryMetric"]["scoreUnit"]}
                          for j in json.load(open(jmh))]
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print_table(summary)
    print(f"\nresult file: {os.path.join(out, 'summary.json')}")


def fmt(x, spec=".2f"):
    return "-" if x is None else format(x, spec)


def print_table(s):
    m = s["medians"]
    meta = s["meta"]
    print(f"\nmake bench: quick={meta['quick']}, rounds={meta['runs']}, nodes={meta['nodes']}x{meta['nodePods']} pods, "
          f"{meta['nproc']} cores, load average at start {meta['loadavgStart']}, at end {s['end'].get('loadavgEnd')}; "
          f"operator --job-create-rate={meta['jobCreateRate']} (its default: 50); medians over rounds\n")
    hdr = ("case", "runs", "trials", "makespan s", "x baseline", "x ideal", "launch p50 ms", "p99 ms",
           "writes/trial", "req/trial", "CPU s/1k", "peak RSS MB", "cgroup peak MiB (% limit)", "OOM", "status B")
    rows = []
    for k, v in m.items():
        rows.append((k, str(v["runs"]), fmt(v["trials"], ".0f"), fmt(v["makespan_s"]),
                     fmt(v.get("ratio_to_baseline")), fmt(v.get("ratio_to_ideal")), fmt(v["launch_p50_ms"], ".0f"),
                     fmt(v["launch_p99_ms"], ".0f"), fmt(v["writes_per_trial"]),
                     fmt(v["requests_total"] / v["trials"] if v["requests_total"] is not None and v["trials"] else None),
                     fmt(v["cpu_s_per_1000"]), fmt(v["peak_rss_mb"], ".0f"),
                     "-" if v["cgroup_peak_mb"] is None else
                     f"{v['cgroup_peak_mb']:.0f} ({v['cgroup_peak_pct']:.0f}% of {v['cgroup_limit_mb']:.0f})",
                     "-" if "/baseline/" in k else str(v["oom_kills"]), fmt(v["status_bytes_max"], ".0f")))
    w = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(hdr)]
    print(" | ".join(h.ljust(w[i]) for i, h in enumerate(hdr)))
    print("-|-".join("-" * x for x in w))
    for r in rows:
        print(" | ".join(c.ljust(w[i]) for i, c in enumerate(r)))
    for r in s.get("died", []):
        print(f"\n!!! {r['scenario']}/{r['mode']} round {r['run']}: the operator did not finish the run (alive at the end: "
              f"{r.get('alive_at_end')}, OOM kills {r.get('oom_kills')}, cgroup peak {fmt(r.get('cgroup_peak_mb'), '.0f')}"
              f" of {fmt(r.get('cgroup_limit_mb'), '.0f')} MB)")
    for k, v in m.items():
        if v.get("oom_kills"):
            print(f"\n!!! {k}: {v['oom_kills']} OOM kill(s) in the operator's memory cgroup")
        elif v.get("cgroup_peak_pct_max") and v["cgroup_peak_pct_max"] >= 85:
            print(f"\n!!! {k}: cgroup peak {v['cgroup_peak_pct_max']:.0f}% of the limit (target: under 85%)")
        if v.get("cgroup_working_set_peak_mb"):
            print(f"{k}: cgroup peak {v['cgroup_peak_mb']:.0f} MiB (kernel, page cache included), sampled peak working "
                  f"set {v['cgroup_working_set_peak_mb']:.0f} MiB, limit {v['cgroup_limit_mb']:.0f} MiB")
        if v.get("rss_first1000_mb"):
            print(f"\n{k}: RSS max during the first 1000 trials {v['rss_first1000_mb']:.0f} MB, during the last 1000 "
                  f"{v['rss_last1000_mb']:.0f} MB (growth {100 * v['rss_growth']:.1f}%)")
        if v.get("live_heap_at1000_mb"):
            print(f"{k}: live heap (after a full GC) once 1000 trials were done {v['live_heap_at1000_mb']:.0f} MB, "
                  f"at the end {v['live_heap_end_mb']:.0f} MB (growth {100 * v['live_heap_growth']:.1f}%)")
        if v.get("machine_busy") is not None:
            cp = ", ".join(f"{c} {x:.1f}" for c, x in v["components_cpu_s_per_1000"].items() if x is not None)
            # The machine's whole CPU per trial: on a saturated machine, makespans go as this does.
            total = v["machine_busy"] * s["meta"]["nproc"] * v["makespan_s"] / v["trials"] * 1000
            print(f"{k}: machine {100 * v['machine_busy']:.0f}% busy ({s['meta']['nproc']} cores), {total:.1f} CPU s "
                  f"per 1000 trials; control plane CPU s per 1000 trials: {cp}")
        if v.get("search_finish_spread_s") is not None:
            print(f"{k}: search finish times {v['search_finish_min_s']:.1f}-{v['search_finish_max_s']:.1f} s "
                  f"(spread {v['search_finish_spread_s']:.1f} s, stdev {v['search_finish_stdev_s']:.2f} s)")
    for k, v in m.items():
        if "/operator/" in k:
            print(f"\n{k}: API requests per trial by verb and resource (audit log, operator identity):")
            for rk, c in v["requests_per_trial"].items():
                print(f"  {rk:45s} {c:.3f}")
    if "jmh" in s:
        print("\nJMH (see jmh.txt for the iteration settings):")
        for j in s["jmh"]:
            print(f"  {j['benchmark']:32s} {json.dumps(j['params']):40s} {j['score']:12.3f} ± {j['error']:.3f} {j['unit']}")


if __name__ == "__main__":
    main(sys.argv[1])

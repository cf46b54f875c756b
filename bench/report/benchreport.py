#!/usr/bin/env python3
"""Writes BENCHMARKS.md and the throughput-latency SVG from one bench/run result directory.

    python3 bench/report/benchreport.py bench/results/<UTC time> --out BENCHMARKS.md \
        --svg docs/bench/throughput-latency.svg

Standard library only. Every input but run.json is optional: what a run did not measure is
reported as "not measured", never as zero.
"""
import argparse
import gzip
import json
import math
import os
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

MIB = 1024 * 1024
SERVICES = ("gateway", "batcher", "processor", "aggregator")
RSS_LIMIT_MIB = 512
E2E_P99_LIMIT_MS = 1000.0
SVG_PATH_IN_REPO = "docs/bench/throughput-latency.svg"
HISTORY_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "history.md")


# --- reading a run directory ------------------------------------------------------------------

def _read_json(path):
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@dataclass
class Run:
    directory: str
    manifest: dict
    jmh: list
    peers: list
    drain: list
    max_uniform: dict
    max_zipf: dict
    fixed: dict
    max_ingest: dict
    hot_methods: dict
    samples: dict

    def peer(self, benchmark, variant=None):
        for line in self.peers or []:
            if line.get("benchmark") == benchmark and (variant is None or line.get("variant") == variant):
                return line
        return None

    def drain_result(self):
        for line in self.drain or []:
            if line.get("benchmark") == "batchmesh-drain":
                return line
        return None


def load_run(directory):
    hot, samples = {}, {}
    jfr_dir = os.path.join(directory, "jfr")
    for service in SERVICES:
        path = os.path.join(jfr_dir, service + "-hot-methods.txt")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                hot[service] = parse_hot_methods(f.read())
        path = os.path.join(jfr_dir, service + "-samples.txt.gz")
        if os.path.isfile(path):
            with gzip.open(path, "rt", encoding="utf-8") as f:
                samples[service] = parse_execution_samples(f)
    return Run(
        directory=directory,
        manifest=_read_json(os.path.join(directory, "run.json")) or {},
        jmh=_read_json(os.path.join(directory, "jmh-summary.json")),
        peers=_read_json(os.path.join(directory, "peers.json")),
        drain=_read_json(os.path.join(directory, "drain.json")),
        max_uniform=_read_json(os.path.join(directory, "loadgen-max-uniform.json")),
        max_zipf=_read_json(os.path.join(directory, "loadgen-max-zipf.json")),
        fixed=_read_json(os.path.join(directory, "loadgen-fixed-uniform.json")),
        max_ingest=_read_json(os.path.join(directory, "loadgen-max-ingest.json")),
        hot_methods=hot,
        samples=samples,
    )


_HOT_ROW = re.compile(r"^\s*(\S.*?)\s+(\d+)\s+(\d+(?:[.,]\d+)?)\s*%\s*$")


def parse_hot_methods(text):
    """Rows of `jfr view hot-methods`: (method, samples, percent), hottest first."""
    rows = []
    for line in text.splitlines():
        m = _HOT_ROW.match(line)
        if m:
            rows.append((m.group(1), int(m.group(2)), float(m.group(3).replace(",", "."))))
    return rows


_FRAME_LINE = re.compile(r"\s+line:\s*-?\d+\s*$")


def parse_execution_samples(lines):
    """Stacks of `jfr print --events jdk.ExecutionSample`, each a list of methods, top frame first."""
    stacks, stack = [], None
    for line in lines:
        text = line.strip()
        if text == "stackTrace = [":
            stack = []
        elif stack is not None:
            if text == "]":
                stacks.append(stack)
                stack = None
            elif text and text != "...":
                stack.append(_FRAME_LINE.sub("", text))
    return stacks


def _package(method):
    name = method.split("(", 1)[0].rsplit(".", 2)[0]  # drop Class.method
    return ".".join(name.split(".")[:3])


def summarise_samples(stacks, top=8):
    """Where a service's samples go: packages of the top frame (self), and the project's own
    methods anywhere on the stack (inclusive), so a hot path shows even when its time is spent in
    library code it calls. Shares of all samples."""
    total = len(stacks)
    if not total:
        return {"samples": 0, "packages": [], "project": []}
    packages, project = {}, {}
    for stack in stacks:
        if stack:
            pkg = _package(stack[0])
            packages[pkg] = packages.get(pkg, 0) + 1
        for method in {m for m in stack if m.startswith("dev.batchmesh.")}:
            project[method] = project.get(method, 0) + 1

    def ranked(counts):
        return [(k, v, 100.0 * v / total) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]

    return {"samples": total, "packages": ranked(packages), "project": ranked(project)}


# --- figures and targets ----------------------------------------------------------------------

def ingest_capacity(max_result):
    """Highest records/s the gateway and batcher answered with 202s within the step criteria,
    whatever the consumers behind them did: steps that failed only on consumer lag still count.
    From a whole-path search this is a lower bound, as the search stops near the path's maximum."""
    if not max_result:
        return None
    best = None
    for step in max_result.get("steps", []):
        reasons = step.get("reasons", [])
        if all(r.startswith("lag of ") for r in reasons):
            rate = step["ingest"]["recordsPerSecond"]
            best = rate if best is None else max(best, rate)
    return best


def ingest_records_per_second(run):
    """The ingest-alone search (lag not judged) when the run made one, else the whole-path search's steps."""
    if run.max_ingest:
        bound = ", every step held: a lower bound" if search_unbounded(run.max_ingest) else ""
        return sustained_records_per_second(run.max_ingest), f"ingest-alone search{bound}"
    return ingest_capacity(run.max_uniform), "whole-path search, a lower bound"


def search_unbounded(max_result):
    """True when every step held: the search's time ran out first, so its maximum is a lower bound."""
    steps = (max_result or {}).get("steps", [])
    return bool(steps) and all(s.get("sustained") for s in steps)


def sustained_records_per_second(max_result):
    if not max_result or not max_result.get("maxSustainedRecordsPerSecond"):
        return None
    return max_result["maxSustainedRecordsPerSecond"]


def service_rss_mib(fixed_result):
    """Largest RSS sampled per service during the run at half the maximum (VmHWM would also
    cover the find-the-maximum runs before it, on the same processes)."""
    if not fixed_result:
        return {}
    out = {}
    for p in fixed_result.get("processes", []):
        if p.get("name") in SERVICES:
            rss = p.get("maxSampledRssBytes") or p.get("peakRssBytes")
            if rss:
                out[p["name"]] = rss / MIB
    return out


@dataclass
class Target:
    name: str
    measured: str
    reference: str
    value: float  # ratio, milliseconds or MiB, per `unit`
    unit: str
    limit: str
    verdict: str  # met, missed, not measured


def _ratio_target(name, measured, reference, numerator, denominator, minimum):
    if numerator is None or denominator is None or denominator <= 0:
        return Target(name, _rate(numerator), _rate(denominator), None, "ratio", f"≥ {minimum:g} ×",
                      "not measured")
    ratio = numerator / denominator
    return Target(name, f"{measured}: {_rate(numerator)}", f"{reference}: {_rate(denominator)}", ratio, "ratio",
                  f"≥ {minimum:g} ×", "met" if ratio >= minimum else "missed")


def compute_targets(run):
    pp = run.peer("kafka-producer-performance")
    eos = run.peer("kafka-streams-per-record", "exactly_once_v2")
    pp_rate = pp and pp.get("recordsPerSecond")
    eos_rate = eos and eos.get("recordsPerSecond")
    drain = run.drain_result()
    ingest, ingest_source = ingest_records_per_second(run)
    targets = [
        _ratio_target("1. Ingest through gateway + batcher vs ProducerPerformance", f"202s ({ingest_source})",
                      "ProducerPerformance", ingest, pp_rate, 1.0),
        _ratio_target("2. Whole path sustained (lag not growing) vs Streams exactly-once", "sustained",
                      "Streams EOS", sustained_records_per_second(run.max_uniform), eos_rate, 1.0),
        _ratio_target("3. Processor + aggregator drain vs Streams exactly-once", "drain", "Streams EOS",
                      drain and drain.get("recordsPerSecond"), eos_rate, 3.0),
    ]
    e2e = (run.fixed or {}).get("endToEnd", {}).get("latency", {})
    if e2e.get("count"):
        p99 = e2e["p99Ms"]
        targets.append(Target("4. p99 202 → visible in a query at half the sustained maximum",
                              f"p99 {p99:,.0f} ms over {e2e['count']} probes",
                              _fixed_rate(run.fixed), p99, "ms", f"≤ {E2E_P99_LIMIT_MS:,.0f} ms",
                              "met" if p99 <= E2E_P99_LIMIT_MS else "missed"))
    else:
        targets.append(Target("4. p99 202 → visible in a query at half the sustained maximum", "—", "—", None,
                              "ms", f"≤ {E2E_P99_LIMIT_MS:,.0f} ms", "not measured"))
    rss = service_rss_mib(run.fixed)
    for service in SERVICES:
        name = f"5. RSS of {service} at half the sustained maximum"
        if service in rss:
            mib = rss[service]
            targets.append(Target(name, f"{mib:,.0f} MiB", _fixed_rate(run.fixed), mib, "MiB",
                                  f"≤ {RSS_LIMIT_MIB} MiB", "met" if mib <= RSS_LIMIT_MIB else "missed"))
        else:
            targets.append(Target(name, "—", "—", None, "MiB", f"≤ {RSS_LIMIT_MIB} MiB", "not measured"))
    return targets


# --- formatting -----------------------------------------------------------------------------

def _rate(v):
    return "—" if v is None else f"{v:,.0f} records/s"


def _num(v, digits=0):
    return "—" if v is None else f"{v:,.{digits}f}"


def _fixed_rate(fixed):
    if not fixed:
        return "—"
    return f"at {fixed['ingest']['targetRecordsPerSecond']:,.0f} records/s offered"


def _ms(lat, key):
    return "—" if not lat or lat.get(key) is None else f"{lat[key]:,.1f}"


def _verdict(t):
    return {"met": "**met**", "missed": "**missed**"}.get(t.verdict, t.verdict)


def _value(t):
    if t.value is None:
        return "—"
    if t.unit == "ratio":
        return f"{t.value:.2f} ×"
    return f"{t.value:,.0f} {t.unit}"


def _phase_table(manifest):
    rows = ["| Phase | Status | Seconds |", "|---|---|---:|"]
    for p in manifest.get("phases", []):
        rows.append(f"| {p['name']} | {p['status']} | {p['seconds']} |")
    return rows


def render_markdown(run, svg_link=SVG_PATH_IN_REPO, history=None):
    m = run.manifest
    machine = m.get("machine", {})
    git = m.get("git", {})
    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Generated by `bench/run` from one run: every figure below was measured in the same invocation, "
      "on the same machine, one phase after the other. On a small shared machine the figures are "
      "indicative; compare runs made on the same quiet machine.")
    w("")
    w(f"![202 p99 latency against offered records/s, per workload, with the peers' rates]({svg_link})")
    w("")
    w("## Run")
    w("")
    w("| | |")
    w("|---|---|")
    w(f"| Date | {m.get('startedAt', '—')} to {m.get('finishedAt', '—')} ({m.get('seconds', '—')} s) |")
    w(f"| Command | `{m.get('command', '—')}` |")
    dirty = " (with uncommitted changes)" if git.get("dirty") else ""
    w(f"| Commit | `{git.get('commit', '—')}`{dirty} |")
    mem = machine.get("memoryBytes")
    w(f"| Machine | {machine.get('cores', '—')} cores, {machine.get('cpu') or 'CPU unknown'}, "
      f"{(mem / 1024 ** 3) if mem else 0:.1f} GiB memory, load average at start {machine.get('loadAverage', '—')} |")
    w(f"| Kernel | {machine.get('kernel', '—')} |")
    w(f"| JDK | {machine.get('jdk', '—')} |")
    w(f"| Services' JVM flags | `{m.get('suiteJavaOpts', '—')}` |")
    if m.get('processorJavaOpts'):
        w(f"| Processor's own JVM flags, after those | `{m['processorJavaOpts']}` |")
    if m.get('aggregatorJavaOpts'):
        w(f"| Aggregator's own JVM flags, after those | `{m['aggregatorJavaOpts']}` |")
    w(f"| Peers and drain size | {m.get('records', '—'):,} records |" if isinstance(m.get("records"), int)
      else "| Peers and drain size | — |")
    if m.get("quick"):
        w("| Mode | `--quick`: small sizes, a smoke pass; not figures to quote |")
    w("")

    targets = compute_targets(run)
    w("## Targets")
    w("")
    w("Ratios of two rates measured in this run; the peers are described under *Peers*.")
    w("")
    w("| Target | Measured | Against | Result | Target | Verdict |")
    w("|---|---|---|---:|---|---|")
    for t in targets:
        w(f"| {t.name} | {t.measured} | {t.reference} | {_value(t)} | {t.limit} | {_verdict(t)} |")
    w("")

    w("## Workloads")
    w("")
    w("| Workload | Shape | Used by |")
    w("|---|---|---|")
    w("| uniform | 1,000 keys drawn uniformly; values log-normal (median 20, sigma 0.8), 3 decimals; "
      "1,000 records a request, NDJSON | find-the-maximum, half-maximum run, peers, drain |")
    w("| zipf | 1,000 keys, rank r drawn with weight 1/(r+1)^1.1 (the hottest key 18 % of records, the top ten 48 %); "
      "values and requests as uniform | find-the-maximum |")
    for label, res in (("uniform", run.max_uniform), ("zipf", run.max_zipf)):
        if res and res.get("workload"):
            w(f"\nLoad generator workload `{label}`: `{res['workload']}`")
    w("")

    w("## Whole suite: find the maximum")
    w("")
    w("Open-loop load through the gateway (`bench/loadgen`, `--mode max`): a step holds when the 202 p99 "
      "is within 1 s, at most 0.1 % of requests fail, the 202s keep up and no consumer lag grows.")
    w("")
    for label, res in (("uniform", run.max_uniform), ("zipf", run.max_zipf),
                       ("uniform, ingest alone (processor and aggregator stopped, no probes)", run.max_ingest)):
        w(f"### {label}")
        w("")
        if not res:
            w("Not measured.")
            w("")
            continue
        bound = " (every step held before the time ran out: a lower bound)" if search_unbounded(res) else ""
        w(f"Highest sustained: **{_rate(sustained_records_per_second(res))}**{bound}.")
        w("")
        w("| Offered records/s | Accepted records/s | 202 p50 ms | 202 p99 ms | Holds | Why not |")
        w("|---:|---:|---:|---:|---|---|")
        for s in res.get("steps", []):
            i = s["ingest"]
            w(f"| {_num(i['targetRecordsPerSecond'])} | {_num(i['recordsPerSecond'])} | "
              f"{_ms(i.get('latency202'), 'p50Ms')} | {_ms(i.get('latency202'), 'p99Ms')} | "
              f"{'yes' if s.get('sustained') else 'no'} | {'; '.join(s.get('reasons', []))} |")
        w("")
        w(_process_table(res, "During the search"))
        w("")

    w("## Whole suite: half the sustained maximum")
    w("")
    fx = run.fixed
    if not fx:
        w("Not measured.")
    else:
        i = fx["ingest"]
        e2e = fx.get("endToEnd", {})
        lat = e2e.get("latency", {})
        w(f"Uniform workload, {_num(i['targetRecordsPerSecond'])} records/s offered for {fx['settings'].get('duration')}: "
          f"{_num(i['recordsPerSecond'])} records/s accepted, {i.get('failed', 0)} failed requests. "
          f"The four services were restarted before this run, so their RSS is what this load needs, not "
          f"the high-water mark of the searches before it.")
        w("")
        w("| Latency | Count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for name, l in (("202 (request → accepted)", i.get("latency202")), ("202 → visible in a query", lat)):
            if l:
                w(f"| {name} | {l.get('count', 0):,} | {_ms(l, 'p50Ms')} | {_ms(l, 'p90Ms')} | {_ms(l, 'p99Ms')} | "
                  f"{_ms(l, 'p999Ms')} | {_ms(l, 'maxMs')} |")
        w("")
        w(f"Probes: {e2e.get('sent', 0)} sent, {e2e.get('visible', 0)} visible, {e2e.get('timedOut', 0)} timed out.")
        w("")
        lags = fx.get("lag", [])
        if lags:
            w("| Consumer | Topic | Max lag | Final lag | Growing |")
            w("|---|---|---:|---:|---|")
            for g in lags:
                w(f"| {g['group']} | {g['topic']} | {g.get('maxLag', '—')} | {g.get('finalLag', '—')} | "
                  f"{'yes' if g.get('growing') else 'no'} |")
            w("")
        w(_process_table(fx, "During the run"))
    w("")

    w("## Peers")
    w("")
    w("One Kafka message per record on a local single-node broker (`bench/peers/run`): Kafka's "
      "`ProducerPerformance` with the pipeline's producer durability (`acks=all`, idempotence, lz4), and "
      "a per-record Kafka Streams windowed aggregation (10 s windows, RocksDB, changelog) under both guarantees.")
    w("")
    if not run.peers:
        w("Not measured.")
    else:
        w("| Peer | Variant | Records | Seconds | Records/s |")
        w("|---|---|---:|---:|---:|")
        for p in run.peers:
            w(f"| {p['benchmark']} | {p['variant']} | {p['records']:,} | {p['seconds']:.2f} | "
              f"{p['recordsPerSecond']:,.0f} |")
    w("")

    w("## Drain: processor + aggregator")
    w("")
    w("A pre-loaded `microbatches` topic drained by processor-service and aggregator-service "
      "(`bench/drain/run`), from the processor's partition assignment to both stages caught up (past the last data record).")
    w("")
    d = run.drain_result()
    if not d:
        w("Not measured.")
    else:
        det = d.get("details", {})
        w("| Records | Seconds | Records/s | Processor alone records/s | Processor peak RSS MiB | Aggregator peak RSS MiB |")
        w("|---:|---:|---:|---:|---:|---:|")
        w(f"| {d['records']:,} | {d['seconds']:.2f} | {d['recordsPerSecond']:,.0f} | "
          f"{_num(det.get('processorRecordsPerSecond'))} | {_num((det.get('processor') or {}).get('peakRssMiB'))} | "
          f"{_num((det.get('aggregator') or {}).get('peakRssMiB'))} |")
    w("")

    w("## Microbenchmarks (JMH)")
    w("")
    if not run.jmh:
        w("Not measured.")
    else:
        w("| Benchmark | Parameters | Operations/s | ± | Records/s |")
        w("|---|---|---:|---:|---:|")
        for b in run.jmh:
            params = ", ".join(f"{k}={v}" for k, v in sorted((b.get("params") or {}).items()))
            err = b.get("opsPerSecondError")
            err = None if not err or math.isnan(err) else err  # no error with fewer than 3 iterations
            w(f"| {b['benchmark']} | {params} | {b['opsPerSecond']:,.0f} | {_num(err)} | "
              f"{_num(b.get('recordsPerSecond'))} |")
    w("")

    missed = [t for t in targets if t.verdict == "missed"]
    w("## Profiles")
    w("")
    if not missed:
        w("Every measured target was met; no profile is shown.")
    elif not run.hot_methods and not run.samples:
        w("A target was missed but the run recorded no profile (JFR).")
    else:
        w("Targets missed: " + "; ".join(t.name for t in missed) + ". JFR (`settings=profile`) recorded every "
          "service during both find-the-maximum runs. The services by CPU seconds, the likeliest bottleneck "
          "first, each with its hottest methods (`jfr view hot-methods`: top frame, share of execution "
          "samples), the packages those samples were in, and the project's own methods on the stack "
          "(inclusive share).")
        w("")
        cpu = {p["name"]: p.get("cpuSeconds", 0) for p in (run.max_uniform or {}).get("processes", [])}
        for service in sorted(set(run.hot_methods) | set(run.samples), key=lambda s: -cpu.get(s, 0)):
            w(f"### {service} ({_num(cpu.get(service), 1)} CPU s in the uniform search)")
            w("")
            rows = run.hot_methods.get(service, [])
            if rows:
                w("| Hottest method (self) | Samples | Share |")
                w("|---|---:|---:|")
                for method, samples, pct in rows[:10]:
                    w(f"| `{method}` | {samples:,} | {pct:.1f} % |")
                w("")
            summary = summarise_samples(run.samples[service]) if service in run.samples else None
            if summary and summary["samples"]:
                for title, key in (("Package (self)", "packages"), ("Project method (inclusive)", "project")):
                    if summary[key]:
                        w(f"| {title} | Samples of {summary['samples']:,} | Share |")
                        w("|---|---:|---:|")
                        for name, count, pct in summary[key]:
                            w(f"| `{name}` | {count:,} | {pct:.1f} % |")
                        w("")
            if not rows and not (summary and summary["samples"]):
                w("No execution samples.")
                w("")
    w("")

    if history and history.strip():
        # hand-written and kept in the repository: what each change did to these figures
        w("## What was tried")
        w("")
        out.extend(history.strip().splitlines())
        w("")

    w("## Phases")
    w("")
    out.extend(_phase_table(m))
    w("")
    w("## How to reproduce")
    w("")
    w("```")
    w(m.get("command", "bench/run"))
    w("```")
    w("")
    w("`bench/run` builds what it runs, then runs JMH, the peers, the drain and the whole suite one after the "
      "other and writes every result to `bench/results/<UTC time>/` with a `run.json` manifest. "
      "`bench/run --quick` is a smoke pass (about ten minutes on 2 cores); `--records N` sizes the peers and the drain; "
      "`--skip jmh,peers,drain,suite` leaves phases out; `bench/run --report-only bench/results/<UTC time>` "
      "writes this file and the chart again. Run it on a quiet machine: the phases share it with nothing else.")
    w("")
    return "\n".join(out).replace("\n\n\n", "\n\n")


def _process_table(result, caption):
    procs = result.get("processes", [])
    if not procs:
        return ""
    rows = [f"{caption}, per process:", "",
            "| Process | CPU seconds | Largest sampled RSS MiB | Peak RSS (VmHWM) MiB |", "|---|---:|---:|---:|"]
    for p in procs:
        rows.append(f"| {p['name']} | {p.get('cpuSeconds', 0):,.1f} | {_num((p.get('maxSampledRssBytes') or 0) / MIB)} | "
                    f"{_num((p.get('peakRssBytes') or 0) / MIB)} |")
    return "\n".join(rows)


# --- the chart ------------------------------------------------------------------------------

SERIES_COLOURS = {"uniform": "#1f77b4", "zipf": "#d62728", "ingest": "#ff7f0e"}
SERIES_LABELS = {"uniform": "uniform (1,000 keys)", "zipf": "zipf (1,000 keys)", "ingest": "uniform, ingest alone"}
PEER_LINES = (("kafka-producer-performance", None, "ProducerPerformance", "#2ca02c"),
              ("kafka-streams-per-record", "exactly_once_v2", "Streams EOS", "#9467bd"),
              ("kafka-streams-per-record", "at_least_once", "Streams ALOS", "#8c564b"))


def _nice_step(span, ticks=5):
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for f in (1, 2, 2.5, 5, 10):
        if raw <= f * mag:
            return f * mag
    return 10 * mag


def render_svg(run):
    """202 p99 latency (log scale) against offered records/s, one line per find-the-maximum search
    (uniform, Zipf, ingest alone), with the peers' and the drain's records/s as vertical lines and
    the 1 s p99 limit as a horizontal one."""
    width, height = 820, 440
    left, right, top, bottom = 80, 250, 40, 60
    pw, ph = width - left - right, height - top - bottom
    series = {}
    for label, res in (("uniform", run.max_uniform), ("zipf", run.max_zipf), ("ingest", run.max_ingest)):
        if res:
            pts = sorted((s["ingest"]["targetRecordsPerSecond"], s["ingest"]["latency202"]["p99Ms"], bool(s.get("sustained")))
                         for s in res.get("steps", []) if s["ingest"].get("latency202", {}).get("count"))
            if pts:
                series[label] = pts
    peers = []
    for bench, variant, name, colour in PEER_LINES:
        p = run.peer(bench, variant)
        if p:
            peers.append((name, p["recordsPerSecond"], colour))
    drain = run.drain_result()
    drain_rate = drain and drain.get("recordsPerSecond")
    xs = [x for pts in series.values() for x, _, _ in pts] + [r for _, r, _ in peers] + ([drain_rate] if drain_rate else [])
    x_max = max(xs) * 1.1 if xs else 1.0
    x_step = _nice_step(x_max)
    x_max = math.ceil(x_max / x_step) * x_step
    ys = [y for pts in series.values() for _, y, _ in pts] + [E2E_P99_LIMIT_MS]
    y_lo = 10 ** math.floor(math.log10(max(min(ys), 0.1)))
    y_hi = 10 ** math.ceil(math.log10(max(ys) * 1.01))
    if y_hi <= y_lo:
        y_hi = y_lo * 10

    def px(x):
        return left + pw * x / x_max

    def py(y):
        y = max(y, y_lo)
        return top + ph * (1 - (math.log10(y) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo)))

    e = []
    a = e.append
    a(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
      'font-family="sans-serif" font-size="12">')
    a('<title>202 p99 latency against offered records/s</title>')
    a(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    a(f'<text x="{left}" y="22" font-size="14" font-weight="bold">202 p99 latency vs offered load, per workload</text>')
    # grid and axes
    x = 0.0
    while x <= x_max + 1e-9:
        a(f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{top + ph}" stroke="#e5e5e5"/>')
        a(f'<text x="{px(x):.1f}" y="{top + ph + 16}" text-anchor="middle">{_short(x)}</text>')
        x += x_step
    decade = y_lo
    while decade <= y_hi * 1.0001:
        a(f'<line x1="{left}" y1="{py(decade):.1f}" x2="{left + pw}" y2="{py(decade):.1f}" stroke="#e5e5e5"/>')
        a(f'<text x="{left - 6}" y="{py(decade) + 4:.1f}" text-anchor="end">{_short(decade)} ms</text>')
        decade *= 10
    a(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333333"/>')
    a(f'<text x="{left + pw / 2}" y="{height - 18}" text-anchor="middle">offered records/s</text>')
    a(f'<text x="18" y="{top + ph / 2}" text-anchor="middle" transform="rotate(-90 18 {top + ph / 2})">'
      '202 p99 latency (log scale)</text>')
    # the 1 s limit
    a(f'<line class="limit" x1="{left}" y1="{py(E2E_P99_LIMIT_MS):.1f}" x2="{left + pw}" y2="{py(E2E_P99_LIMIT_MS):.1f}" '
      'stroke="#777777" stroke-dasharray="2 3"/>')
    legend_y = top + 10

    def legend(colour, text, dashed=False):
        nonlocal legend_y
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        a(f'<line x1="{left + pw + 14}" y1="{legend_y}" x2="{left + pw + 38}" y2="{legend_y}" stroke="{colour}" '
          f'stroke-width="2"{dash}/>')
        a(f'<text x="{left + pw + 44}" y="{legend_y + 4}">{escape(text)}</text>')
        legend_y += 18

    for name, rate, colour in peers:
        a(f'<line class="peer" data-name="{escape(name)}" x1="{px(rate):.1f}" y1="{top}" x2="{px(rate):.1f}" '
          f'y2="{top + ph}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        legend(colour, f"{name}: {_short(rate)} records/s", dashed=True)
    if drain_rate:
        a(f'<line class="drain" x1="{px(drain_rate):.1f}" y1="{top}" x2="{px(drain_rate):.1f}" y2="{top + ph}" '
          'stroke="#17becf" stroke-width="1.5" stroke-dasharray="2 2"/>')
        legend("#17becf", f"batchmesh drain: {_short(drain_rate)} records/s", dashed=True)
    for label, pts in series.items():
        colour = SERIES_COLOURS.get(label, "#000000")
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y, _ in pts)
        a(f'<polyline class="series" data-workload="{label}" points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, held in pts:
            fill = colour if held else "#ffffff"
            a(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{fill}" stroke="{colour}" stroke-width="1.5">'
              f'<title>{label}: {x:,.0f} records/s offered, 202 p99 {y:,.1f} ms, {"holds" if held else "does not hold"}</title>'
              '</circle>')
        legend(colour, SERIES_LABELS[label])
    a(f'<text x="{left + pw + 14}" y="{legend_y + 8}" fill="#555555">filled: step holds</text>')
    a(f'<text x="{left + pw + 14}" y="{legend_y + 24}" fill="#555555">dotted: 1 s limit</text>')
    if not series:
        a(f'<text x="{left + pw / 2}" y="{top + ph / 2}" text-anchor="middle" fill="#777777">'
          'whole suite not measured</text>')
    a('</svg>')
    return "\n".join(e) + "\n"


def _short(v):
    if v >= 1_000_000:
        return f"{v / 1_000_000:.3g}M"
    if v >= 1000:
        return f"{v / 1000:.3g}k"
    return f"{v:.3g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a bench/results/<UTC time> directory")
    parser.add_argument("--out", default="BENCHMARKS.md")
    parser.add_argument("--svg", default=SVG_PATH_IN_REPO)
    parser.add_argument("--history", default=HISTORY_PATH,
                        help="Markdown appended as 'What was tried' (default: history.md beside this script)")
    args = parser.parse_args(argv)
    history = None
    if args.history and os.path.isfile(args.history):
        with open(args.history, encoding="utf-8") as f:
            history = f.read()
    run = load_run(args.run)
    svg_link = os.path.relpath(args.svg, os.path.dirname(os.path.abspath(args.out)) or ".")
    os.makedirs(os.path.dirname(os.path.abspath(args.svg)), exist_ok=True)
    with open(args.svg, "w", encoding="utf-8") as f:
        f.write(render_svg(run))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(render_markdown(run, svg_link=svg_link, history=history))
    for t in compute_targets(run):
        print(f"{t.verdict:>12}  {t.name}: {_value(t)}")
    print(f"wrote {args.out} and {args.svg}")


if __name__ == "__main__":
    main()

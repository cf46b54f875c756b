#!/usr/bin/env python3
"""Writes the Grafana dashboards (observability/grafana/dashboards/*.json) and their Kubernetes
ConfigMaps (k8s/components/observability/dashboards/*.yaml) from the definitions below.

Edit the definitions, run `python3 observability/grafana/generate_dashboards.py` from the repo root,
and commit both outputs: deployment-tests' GrafanaDashboardsTest fails when they drift apart or
when an expression names a metric that no service registers.

Every expression filters on the `app` label: the Compose Prometheus sets it per scrape target
(observability/prometheus/prometheus.yml), on Kubernetes it comes from the pods' `app` label
(the usual `labelmap` of `__meta_kubernetes_pod_label_(.+)`).
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "observability/grafana/dashboards"
CONFIGMAPS = ROOT / "k8s/components/observability/dashboards"
DS = {"type": "prometheus", "uid": "${datasource}"}


def panel(title, unit, *targets, kind="timeseries", w=12, h=8, description=None, stack=False):
    p = {"type": kind, "title": title, "datasource": DS, "gridPos": {"w": w, "h": h},
         "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
         "targets": [{"refId": chr(ord("A") + i), "expr": e, "legendFormat": l, "datasource": DS}
                     for i, (e, l) in enumerate(targets)]}
    if description:
        p["description"] = description
    if kind == "timeseries":
        p["options"] = {"legend": {"displayMode": "list", "placement": "bottom"},
                        "tooltip": {"mode": "multi"}}
        if stack:
            p["fieldConfig"]["defaults"]["custom"] = {"stacking": {"mode": "normal"}}
    return p


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "gridPos": {"w": 24, "h": 1}, "panels": []}


def layout(items):
    x = y = 0
    line_h = 0
    for i, p in enumerate(items, start=1):
        p["id"] = i
        w, h = p["gridPos"]["w"], p["gridPos"]["h"]
        if p["type"] == "row" or x + w > 24:
            y += line_h
            x = line_h = 0
        p["gridPos"].update({"x": x, "y": y})
        x += w
        line_h = max(line_h, h)
        if p["type"] == "row":
            y += h
            x = line_h = 0
    return items


def datasource_var():
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []}


def instance_var(app):
    q = 'label_values(jvm_memory_used_bytes{app="%s"}, instance)' % app
    return {"name": "instance", "label": "Instance", "type": "query", "datasource": DS,
            "query": {"query": q, "refId": "instance"}, "definition": q, "refresh": 2,
            "includeAll": True, "multi": True, "allValue": ".*", "current": {}, "hide": 0,
            "sort": 1, "options": [], "regex": ""}


def dashboard(uid, title, description, items, variables):
    return {"uid": uid, "title": title, "description": description, "tags": ["batchmesh"],
            "timezone": "utc", "schemaVersion": 39, "version": 1, "editable": True, "refresh": "10s",
            "time": {"from": "now-30m", "to": "now"},
            "templating": {"list": variables}, "annotations": {"list": []},
            "panels": layout(items)}


def sel(app, extra=""):
    return '{app="%s", instance=~"$instance"%s}' % (app, extra)


def rate(metric, app, extra="", by=None, window="$__rate_interval"):
    inner = "rate(%s%s[%s])" % (metric, sel(app, extra), window)
    return "sum by (%s) (%s)" % (by, inner) if by else "sum(%s)" % inner


def mean(base, app, by="instance"):
    return "%s / %s" % (rate(base + "_sum", app, by=by), rate(base + "_count", app, by=by))


def quantile(q, base, app):
    return "histogram_quantile(%s, %s)" % (q, rate(base + "_bucket", app, by="le"))


def jvm_and_http(app):
    return [
        row("JVM and HTTP"),
        panel("Heap used", "bytes",
              ('sum by (instance) (jvm_memory_used_bytes%s)' % sel(app, ', area="heap"'), "{{instance}} used"),
              ('sum by (instance) (jvm_memory_max_bytes%s)' % sel(app, ', area="heap"'), "{{instance}} max"), w=8),
        panel("GC pause time per second", "s",
              (rate("jvm_gc_pause_seconds_sum", app, by="instance, action"), "{{instance}} {{action}}"),
              ("max by (instance) (jvm_gc_pause_seconds_max%s)" % sel(app), "{{instance}} longest pause"), w=8),
        panel("Threads", "short",
              ("sum by (instance) (jvm_threads_live_threads%s)" % sel(app), "{{instance}} live"),
              ("sum by (instance) (jvm_threads_daemon_threads%s)" % sel(app), "{{instance}} daemon"), w=8),
        panel("HTTP requests by status", "reqps",
              (rate("http_server_requests_seconds_count", app, by="status"), "{{status}}"), stack=True, w=8),
        panel("HTTP mean latency by URI", "s",
              ("%s / %s" % (rate("http_server_requests_seconds_sum", app, by="uri"),
                            rate("http_server_requests_seconds_count", app, by="uri")), "{{uri}}"), w=8),
        panel("Process CPU", "percentunit",
              ("max by (instance) (process_cpu_usage%s)" % sel(app), "{{instance}}"), w=8),
    ]


GROUP_LAG = ("Last stable offset minus the group's committed offset, summed over partitions, measured by the "
             "service itself through the admin client every batchmesh.kafka.consumer-lag.interval, so it keeps "
             "reporting while the consumers are stuck; every replica reports the same group, hence max.")


def group_lag(app, topic):
    return panel("Consumer group lag on %s (records behind)" % topic, "short",
                 ("max by (group) (batchmesh_consumer_lag_records%s)" % sel(app), "{{group}} total"),
                 ("max by (group) (batchmesh_consumer_lag_max_records%s)" % sel(app), "{{group}} furthest-behind partition"),
                 description=GROUP_LAG)


def kafka_consumer(app, title="Kafka consumer lag (max records behind, per topic)"):
    return panel(title, "short",
                 ("max by (topic) (kafka_consumer_fetch_manager_records_lag_max%s)" % sel(app), "{{topic}}"),
                 description="records-lag-max of the service's Kafka consumers over the client's sample window, "
                             "exported by Micrometer's Kafka client binder.")


GW, BA, PR, AG = "gateway-service", "batcher-service", "processor-service", "aggregator-service"


def overview():
    items = [
        row("Ingest"),
        panel("Records accepted per second", "recps",
              (rate("batcher_records_accepted_total", BA), "accepted"),
              description="Records whose batcher Kafka transaction committed."),
        panel("Rejections by reason", "recps",
              (rate("batcher_records_rejected_total", BA, by="reason"), "records {{reason}}"),
              (rate("batcher_requests_rejected_total", BA, by="reason"), "requests {{reason}}"), stack=True),
        panel("Micro-batch records (p50 / p99)", "short",
              (quantile(0.5, "batcher_batch_records", BA), "p50"),
              (quantile(0.99, "batcher_batch_records", BA), "p99"), w=8),
        panel("Micro-batch size (p50 / p99)", "bytes",
              (quantile(0.5, "batcher_batch_bytes", BA), "p50"),
              (quantile(0.99, "batcher_batch_bytes", BA), "p99"), w=8),
        panel("Publish latency (p50 / p99)", "s",
              (quantile(0.5, "batcher_publish_latency_seconds", BA), "p50"),
              (quantile(0.99, "batcher_publish_latency_seconds", BA), "p99"), w=8),
        row("Processing"),
        panel("Processor batch duration (p50 / p99)", "s",
              (quantile(0.5, "processor_batch_duration_seconds", PR), "p50"),
              (quantile(0.99, "processor_batch_duration_seconds", PR), "p99"), w=8),
        panel("Partials per batch (mean)", "short",
              ("%s / %s" % (rate("processor_partials_per_batch_sum", PR), rate("processor_partials_per_batch_count", PR)), "mean"), w=8),
        panel("Late records dropped and dead-lettered batches", "ops",
              (rate("processor_records_late_total", PR), "late records"),
              (rate("processor_batches_dead_lettered_total", PR, by="reason"), "dead-lettered {{reason}}"), w=8),
        row("Aggregation"),
        panel("End-to-end latency, batcher arrival to merged (p50 / p99)", "s",
              (quantile(0.5, "aggregator_end_to_end_latency_seconds", AG), "p50"),
              (quantile(0.99, "aggregator_end_to_end_latency_seconds", AG), "p99"),
              description="From the arrival at the batcher of a micro-batch's earliest record to the merge of its partials in the aggregator."),
        panel("Partials merged and dropped", "ops",
              (rate("aggregator_partials_merged_total", AG), "merged"),
              (rate("aggregator_partials_dropped_total", AG, by="reason"), "dropped {{reason}}")),
        panel("Consumer lag per stage (records behind)", "short",
              ('max by (group, topic) (batchmesh_consumer_lag_records{app=~"%s|%s"})' % (PR, AG), "{{group}} on {{topic}}"),
              description="Records each stage's consumer group has yet to consume: processor on microbatches, "
                          "aggregator on partials. " + GROUP_LAG),
        row("Gateway"),
        panel("Gateway requests by status", "reqps",
              ('sum by (status) (rate(http_server_requests_seconds_count{app="%s"}[$__rate_interval]))' % GW, "{{status}}"), stack=True, w=8),
        panel("Rate-limited and unauthenticated", "reqps",
              ('sum by (limit) (rate(batchmesh_gateway_rate_limited_total{app="%s"}[$__rate_interval]))' % GW, "429 {{limit}}"),
              ('sum by (reason) (rate(batchmesh_gateway_auth_rejections_total{app="%s"}[$__rate_interval]))' % GW, "401 {{reason}}"), w=8),
        panel("Circuit breakers open", "short",
              ('max by (name) (resilience4j_circuitbreaker_state{app="%s", state=~"open|half_open|forced_open"})' % GW, "{{name}}"), w=8,
              description="1 while a route's breaker is open or half-open."),
    ]
    # The overview has no instance variable: match every instance.
    for p in items:
        for t in p.get("targets", []):
            t["expr"] = t["expr"].replace(', instance=~"$instance"', "")
    return dashboard("batchmesh-overview", "batchmesh pipeline overview",
                     "Records through gateway, batcher, processor and aggregator.", items, [datasource_var()])


def gateway():
    items = [
        row("Routing"),
        panel("Requests by route URI and status", "reqps",
              (rate("http_server_requests_seconds_count", GW, by="uri, status"), "{{uri}} {{status}}")),
        panel("Longest request by URI", "s",
              ("max by (uri) (http_server_requests_seconds_max%s)" % sel(GW), "{{uri}}")),
        panel("Rate-limited (429)", "reqps",
              (rate("batchmesh_gateway_rate_limited_total", GW, by="limit"), "{{limit}}"), w=8),
        panel("Authentication rejections (401)", "reqps",
              (rate("batchmesh_gateway_auth_rejections_total", GW, by="reason"), "{{reason}}"), w=8),
        panel("Circuit breaker state", "short",
              ("max by (name, state) (resilience4j_circuitbreaker_state%s)" % sel(GW), "{{name}} {{state}}"), w=8),
        panel("Circuit breaker calls by kind", "ops",
              (rate("resilience4j_circuitbreaker_calls_seconds_count", GW, by="name, kind"), "{{name}} {{kind}}")),
        panel("Calls refused by an open breaker", "ops",
              (rate("resilience4j_circuitbreaker_not_permitted_calls_total", GW, by="name"), "{{name}}")),
    ] + jvm_and_http(GW)
    return dashboard("batchmesh-gateway", "batchmesh gateway-service", "Routing, rate limits, authentication and circuit breakers.",
                     items, [datasource_var(), instance_var(GW)])


def batcher():
    items = [
        row("Ingest"),
        panel("Records accepted", "recps", (rate("batcher_records_accepted_total", BA, by="instance"), "{{instance}}")),
        panel("Rejections by reason", "recps",
              (rate("batcher_records_rejected_total", BA, by="reason"), "records {{reason}}"),
              (rate("batcher_requests_rejected_total", BA, by="reason"), "requests {{reason}}"), stack=True),
        row("Micro-batches"),
        panel("Records per micro-batch (p50 / p99)", "short",
              (quantile(0.5, "batcher_batch_records", BA), "p50"), (quantile(0.99, "batcher_batch_records", BA), "p99"), w=8),
        panel("Micro-batch size (p50 / p99)", "bytes",
              (quantile(0.5, "batcher_batch_bytes", BA), "p50"), (quantile(0.99, "batcher_batch_bytes", BA), "p99"), w=8),
        panel("Micro-batches published", "ops", (rate("batcher_batch_records_count", BA, by="instance"), "{{instance}}"), w=8),
        panel("Publish latency (p50 / p99 / max)", "s",
              (quantile(0.5, "batcher_publish_latency_seconds", BA), "p50"),
              (quantile(0.99, "batcher_publish_latency_seconds", BA), "p99"),
              ("max(batcher_publish_latency_seconds_max%s)" % sel(BA), "max"), w=8),
        panel("Buffered bytes", "bytes", ("sum by (instance) (batcher_buffer_bytes%s)" % sel(BA), "{{instance}}"), w=8,
              description="Encoded bytes pending or in flight: what backpressure bounds."),
        panel("Kafka producer send rate", "recps",
              ("sum by (instance) (kafka_producer_record_send_rate%s)" % sel(BA), "{{instance}}"), w=8,
              description="Kafka client metrics of the micro-batch producer; empty until its producer factory "
                          "has a MicrometerProducerListener."),
        row("Idempotency"),
        panel("Replays and conflicts", "reqps",
              (rate("batcher_idempotency_replays_total", BA), "replayed"),
              (rate("batcher_idempotency_conflicts_total", BA, by="outcome"), "{{outcome}}")),
        panel("Idempotency keys held", "short",
              ("sum by (instance) (batcher_idempotency_keys%s)" % sel(BA), "{{instance}}")),
    ] + jvm_and_http(BA)
    return dashboard("batchmesh-batcher", "batchmesh batcher-service", "Ingest, micro-batching, publishing and idempotency.",
                     items, [datasource_var(), instance_var(BA)])


def processor():
    items = [
        row("Processing"),
        panel("Batches and records processed", "ops",
              (rate("processor_batches_total", PR, by="instance"), "batches {{instance}}"),
              (rate("processor_records_total", PR, by="instance"), "records {{instance}}")),
        panel("Batch duration (p50 / p99 / max)", "s",
              (quantile(0.5, "processor_batch_duration_seconds", PR), "p50"),
              (quantile(0.99, "processor_batch_duration_seconds", PR), "p99"),
              ("max(processor_batch_duration_seconds_max%s)" % sel(PR), "max")),
        panel("Partials per batch (mean / max)", "short",
              (mean("processor_partials_per_batch", PR), "mean {{instance}}"),
              ("max by (instance) (processor_partials_per_batch_max%s)" % sel(PR), "max {{instance}}"), w=8),
        panel("Late records dropped", "recps", (rate("processor_records_late_total", PR, by="instance"), "{{instance}}"), w=8),
        panel("Dead-lettered batches by reason", "ops",
              (rate("processor_batches_dead_lettered_total", PR, by="reason"), "{{reason}}"), w=8),
        group_lag(PR, "microbatches"),
        kafka_consumer(PR, "Consumer fetch lag on microbatches (max records behind)"),
        panel("Kafka consumer fetch rate", "recps",
              ("sum by (instance) (kafka_consumer_fetch_manager_records_consumed_rate%s)" % sel(PR), "{{instance}}")),
    ] + jvm_and_http(PR)
    return dashboard("batchmesh-processor", "batchmesh processor-service", "Micro-batches turned into window partials.",
                     items, [datasource_var(), instance_var(PR)])


def aggregator():
    items = [
        row("Merging"),
        panel("End-to-end latency, batcher arrival to merged", "s",
              (quantile(0.5, "aggregator_end_to_end_latency_seconds", AG), "p50"),
              (quantile(0.99, "aggregator_end_to_end_latency_seconds", AG), "p99"),
              ("max(aggregator_end_to_end_latency_seconds_max%s)" % sel(AG), "max")),
        panel("Partials merged and dropped", "ops",
              (rate("aggregator_partials_merged_total", AG, by="instance"), "merged {{instance}}"),
              (rate("aggregator_partials_dropped_total", AG, by="reason"), "dropped {{reason}}")),
        group_lag(AG, "partials"),
        kafka_consumer(AG, "Consumer fetch lag on partials (max records behind)"),
        row("Queries"),
        panel("Queries by endpoint and outcome", "reqps",
              (rate("aggregator_queries_seconds_count", AG, by="endpoint, outcome"), "{{endpoint}} {{outcome}}")),
        panel("Query latency (mean / max)", "s",
              (mean("aggregator_queries_seconds", AG, by="endpoint"), "mean {{endpoint}}"),
              ("max by (endpoint) (aggregator_queries_seconds_max%s)" % sel(AG), "max {{endpoint}}")),
    ] + jvm_and_http(AG)
    return dashboard("batchmesh-aggregator", "batchmesh aggregator-service", "Window partials merged, and queries answered.",
                     items, [datasource_var(), instance_var(AG)])


CONFIGMAP = """# Generated by observability/grafana/generate_dashboards.py from observability/grafana/dashboards/{file}: do not edit.
apiVersion: v1
kind: ConfigMap
metadata:
  name: grafana-dashboard-{name}
  labels:
    app.kubernetes.io/part-of: batchmesh
    grafana_dashboard: "1"
  annotations:
    grafana_folder: batchmesh
data:
  {file}: |
{body}"""


def main():
    CONFIGMAPS.mkdir(parents=True, exist_ok=True)
    for d in (overview(), gateway(), batcher(), processor(), aggregator()):
        name = d["uid"].removeprefix("batchmesh-")
        file = "batchmesh-%s.json" % name
        text = json.dumps(d, indent=2) + "\n"
        (DASHBOARDS / file).write_text(text)
        body = "".join("    " + line + "\n" for line in text.splitlines())
        (CONFIGMAPS / ("%s.yaml" % name)).write_text(CONFIGMAP.format(file=file, name=name, body=body))


if __name__ == "__main__":
    main()

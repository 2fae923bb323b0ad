import { Testing } from "cdktf";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import type { CanaryModelEndpointProps } from "../../lib/endpoint/endpoint-props";
import { InferenceServer } from "../../lib/endpoint/inference-server";
import { expectValidCustomResources, manifestsOf } from "../harness/k8s-schemas";
import { resourcesOf } from "../util";
import { chatProps, platformAndServing } from "./fixtures";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(s: string): Json };

function build(overrides: Partial<CanaryModelEndpointProps> = {}) {
  const { cluster, serving } = platformAndServing();
  const endpoint = new CanaryModelEndpoint(serving, "chat", chatProps(cluster, overrides));
  const json: Json = JSON.parse(Testing.synth(serving));
  const manifests = manifestsOf(json).map((m) => m.manifest);
  const template: Json = manifests.find((m) => m.kind === "AnalysisTemplate" && m.metadata.name === "chat-rollback-checks")!;
  const metric = (name: string) => template.spec.metrics.find((m: Json) => m.name === name);
  const alarms = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")) as Json[];
  const ruleNamespaces = Object.values(resourcesOf(json, "aws_prometheus_rule_group_namespace")) as Json[];
  const rules: Json[] = ruleNamespaces.length === 1 ? yaml.load(ruleNamespaces[0].data).groups[0].rules : [];
  return { endpoint, json, manifests, template, metric, alarms, ruleNamespaces, rules };
}

function problemsOf(overrides: Partial<CanaryModelEndpointProps>): string {
  const { cluster, serving } = platformAndServing();
  try {
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, overrides));
  } catch (e) {
    expect(serving.node.tryFindChild("chat")).toBeUndefined();
    return (e as Error).message;
  }
  throw new Error("expected a ValidationError");
}

const threshold = (condition: string) => Number(/<= ([0-9.]+)$/.exec(condition)![1]);

describe.each([
  ["vLLM", InferenceServer.vllm(), "vllm:e2e_request_latency_seconds"],
  ["TGI", InferenceServer.tgi(), "tgi_request_duration"],
  ["Triton with its vLLM backend", InferenceServer.triton(), "vllm:e2e_request_latency_seconds"],
])("a streamed completion on %s", (_name, server, histogram) => {
  let b: ReturnType<typeof build>;
  beforeAll(() => {
    // Triton's vLLM backend has no queue metric to scale on: a fixed replica count.
    b = build({ server, rollbackWhen: { p99LatencyMs: 20000 }, autoscaling: { minReplicas: 1, maxReplicas: 1 } });
  });

  it("is judged by the server's end-to-end latency histogram in AMP, not by the ALB's time to first byte", () => {
    const latency = b.metric("p99-latency");
    expect(Object.keys(latency.provider)).toEqual(["prometheus"]);
    expect(latency.provider.prometheus.query).toContain(`histogram_quantile(0.99, sum by (le) (rate(${histogram}_bucket{`);
    expect(latency.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    expect(JSON.stringify(b.template)).not.toContain("TargetResponseTime");
    expect(b.alarms.map((a) => a.alarm_name).filter((n) => n.includes("latency"))).toEqual([]);
  });

  it("alerts through AMP on the same series and threshold, for every ReplicaSet, as many failed minutes as abort a step", () => {
    const latency = b.metric("p99-latency");
    const rule = b.rules.find((r) => r.alert === "RollbackCheck_p99_latency")!;
    expect(rule).toMatchObject({ alert: "RollbackCheck_p99_latency", labels: { check: "p99-latency", namespace: "models", endpoint: "chat", cluster: "ml-prod" } });
    const canaryQuery: string = latency.provider.prometheus.query;
    const perReplicaSet = canaryQuery
      .replace(',rollouts_pod_template_hash="{{args.canary-hash}}"', "")
      .replace(',rollouts_pod_template_hash="{{args.canary-hash}}"', "")
      .replace("sum by (le)", "sum by (le, rollouts_pod_template_hash)")
      .replace("and on ()", "and on (rollouts_pod_template_hash)")
      .replace("(sum (rate", "(sum by (rollouts_pod_template_hash) (rate");
    expect(rule.expr).toBe(`count_over_time(((${perReplicaSet}) > ${threshold(latency.successCondition)})[10m:1m]) > ${latency.failureLimit}`);
    expect(threshold(latency.successCondition)).toBe(20);
  });

  it("puts the rules in the cluster's workspace from the serving stack, referring to no Kubernetes resource", () => {
    expect(b.ruleNamespaces).toHaveLength(1);
    const ns = b.ruleNamespaces[0];
    expect(ns.name).toBe("ml-prod-models-chat");
    // The platform stack's workspace ARN (remote state once the app synthesizes), ending in "workspace/<id>".
    expect(ns.workspace_id).toMatch(/^\$\{element\(split\("\/", [^)]*workspace[^)]*arn\), 1\)\}$/);
    expect(JSON.stringify(ns)).not.toMatch(/kubernetes_/);
  });

  it("keeps the error rate on the ALB, alarmed on canary and stable with the analysis's failure count", () => {
    const errorRate = b.metric("error-rate");
    expect(Object.keys(errorRate.provider)).toEqual(["cloudWatch"]);
    expect(b.alarms.map((a) => a.alarm_name).sort()).toEqual(["ml-prod-models-chat-canary-error-rate", "ml-prod-models-chat-stable-error-rate"]);
    for (const alarm of b.alarms) {
      expect(alarm).toMatchObject({ threshold: threshold(errorRate.successCondition), evaluation_periods: errorRate.count, datapoints_to_alarm: errorRate.failureLimit + 1, treat_missing_data: "notBreaching" });
      expect(alarm.metric_query.find((q: Json) => q.return_data).expression).toBe(errorRate.provider.cloudWatch.metricDataQueries.find((q: Json) => q.returnData).expression);
    }
  });

  it("passes the @kubernetes-models schema of every custom resource", () => {
    expectValidCustomResources(b.manifests);
  });
});

describe("rollback checks of servers without a latency histogram", () => {
  it.each([
    ["a custom server", InferenceServer.custom({ image: "registry.example.com/s:1.0.0", port: 9000, healthPath: "/h", queueDepthMetric: "server_queue_size" })],
    ["Triton's python backend", InferenceServer.triton({ backend: "python" })],
  ])("judges %s's latency by the ALB, gated on the same minimum request count", (_name, server) => {
    const b = build({ server });
    const latency = b.metric("p99-latency");
    expect(Object.keys(latency.provider)).toEqual(["cloudWatch"]);
    expect(latency.provider.cloudWatch.metricDataQueries.map((q: Json) => q.metricStat?.metric.metricName ?? q.expression)).toEqual([
      "RequestCount",
      "TargetResponseTime",
      "IF(FILL(requests, 0) >= 10, FILL(latency, -1), -1)",
    ]);
    expect(b.alarms.map((a) => a.alarm_name)).toContain("ml-prod-models-chat-canary-p99-latency");
    expect(b.ruleNamespaces).toEqual([]);
    expectValidCustomResources(b.manifests);
  });
});

describe("rollback checks of vLLM with every latency", () => {
  let b: ReturnType<typeof build>;
  beforeAll(() => {
    b = build({ rollbackWhen: { p99LatencyMs: 20000, timeToFirstTokenP99Ms: 500, interTokenLatencyP99Ms: 100, minRequestsPerMinute: 30, failureLimit: 2 } });
  });

  it("checks time to first token and inter-token latency from their histograms, with one alert each", () => {
    expect(b.template.spec.metrics.map((m: Json) => m.name)).toEqual(["error-rate", "server-error-rate", "p99-latency", "ttft-p99", "itl-p99"]);
    expect(b.metric("ttft-p99").provider.prometheus.query).toContain("vllm:time_to_first_token_seconds_bucket");
    expect(b.metric("itl-p99").provider.prometheus.query).toContain("vllm:inter_token_latency_seconds_bucket");
    expect(b.rules.map((r) => [r.alert, Number(/> ([0-9.]+)\)\[/.exec(r.expr)![1])])).toEqual([
      ["RollbackCheck_server_error_rate", 1],
      ["RollbackCheck_p99_latency", 20],
      ["RollbackCheck_ttft_p99", 0.5],
      ["RollbackCheck_itl_p99", 0.1],
    ]);
    for (const m of b.template.spec.metrics) expect(m.failureLimit).toBe(2);
    for (const r of b.rules) expect(r.expr).toMatch(/\) > 2$/);
  });

  it("applies one minimum request count to every check, in the analysis and the alarms", () => {
    expect(b.metric("error-rate").provider.cloudWatch.metricDataQueries.at(-1).expression).toMatch(/^IF\(FILL\(requests, 0\) >= 30,/);
    for (const name of ["p99-latency", "ttft-p99", "itl-p99"]) expect(b.metric(name).provider.prometheus.query).toMatch(/\* 60 >= 30\)$/);
    // Latency periods are minutes; the server error-rate periods are 30 s (one scrape), scaled to a minute.
    expect(b.metric("server-error-rate").provider.prometheus.query).toMatch(/\* 2 >= 30\)$/);
    for (const r of b.rules) expect(r.expr).toContain(r.alert === "RollbackCheck_server_error_rate" ? "* 2 >= 30)" : "* 60 >= 30)");
  });
});

describe("rollback conditions a server cannot measure", () => {
  it("refuses inter-token latency on TGI, which exports none, at synth", () => {
    expect(problemsOf({ server: InferenceServer.tgi(), rollbackWhen: { interTokenLatencyP99Ms: 100 } })).toMatch(
      /^serving\/chat: invalid CanaryModelEndpoint props \(1 problem\):\n- rollbackWhen\.interTokenLatencyP99Ms: the tgi server cannot measure it: TGI 3\.3\.6 exports only tgi_request_mean_time_per_token_duration/,
    );
  });

  it("refuses a p99 above the largest bucket of Triton's vLLM backend (60 s)", () => {
    expect(problemsOf({ server: InferenceServer.triton(), rollbackWhen: { p99LatencyMs: 90000 }, autoscaling: { minReplicas: 1, maxReplicas: 1 } })).toMatch(
      /rollbackWhen\.p99LatencyMs: 90000 ms cannot be measured on Triton \(vllm backend\): the largest finite bucket of vllm:e2e_request_latency_seconds is 60 s/,
    );
  });
});

describe.each([
  ["vLLM", InferenceServer.vllm(), 'http_requests_total{namespace="models",secure_inference_io_endpoint="chat",rollouts_pod_template_hash="{{args.canary-hash}}",status="5xx"}'],
  ["TGI", InferenceServer.tgi(), 'tgi_request_failure{namespace="models",secure_inference_io_endpoint="chat",rollouts_pod_template_hash="{{args.canary-hash}}",err=~"generation|incomplete"}'],
])("failed requests on %s", (_name, server, errorSeries) => {
  let b: ReturnType<typeof build>;
  beforeAll(() => {
    b = build({ server, autoscaling: { minReplicas: 1, maxReplicas: 1 } });
  });

  it("are also judged from the server's error counter in AMP, every scrape interval, beside the ALB's error rate", () => {
    const errorRate = b.metric("error-rate");
    const fast = b.metric("server-error-rate");
    expect(Object.keys(errorRate.provider)).toEqual(["cloudWatch"]);
    expect(Object.keys(fast.provider)).toEqual(["prometheus"]);
    expect(fast).toMatchObject({ initialDelay: "30s", interval: "30s", count: 20, failureLimit: errorRate.failureLimit, inconclusiveLimit: 10 });
    // The ALB's threshold and minimum request count.
    expect(threshold(fast.successCondition)).toBe(threshold(errorRate.successCondition));
    expect(fast.provider.prometheus.query).toContain(`(${errorSeries} - ${errorSeries} offset 30s) >= 0 or ${errorSeries})`);
    expect(fast.provider.prometheus.query).toMatch(/\* 2 >= 10\)$/);
    expectValidCustomResources(b.manifests);
  });

  it("alert through AMP on the same series per ReplicaSet, as many failed periods as abort a step", () => {
    const fast = b.metric("server-error-rate");
    const rule = b.rules.find((r) => r.alert === "RollbackCheck_server_error_rate")!;
    const perReplicaSet = (fast.provider.prometheus.query as string)
      .split(',rollouts_pod_template_hash="{{args.canary-hash}}"')
      .join("")
      .split("sum (")
      .join("sum by (rollouts_pod_template_hash) (")
      .replace("and on ()", "and on (rollouts_pod_template_hash)");
    expect(rule.expr).toBe(`count_over_time(((${perReplicaSet}) > ${threshold(fast.successCondition)})[10m:30s]) > ${fast.failureLimit}`);
  });
});

it("judges failed requests on Triton from the ALB alone: its vLLM backend exports no error counter", () => {
  const b = build({ server: InferenceServer.triton(), autoscaling: { minReplicas: 1, maxReplicas: 1 } });
  expect(b.metric("server-error-rate")).toBeUndefined();
  expect(b.rules.map((r) => r.alert)).not.toContain("RollbackCheck_server_error_rate");
});

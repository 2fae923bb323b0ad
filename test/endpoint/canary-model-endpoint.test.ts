import { Testing, TerraformStack } from "cdktf";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { CanaryModelEndpointProps } from "../../lib/endpoint/endpoint-props";
import { DOWNLOAD_SCRIPT } from "../../lib/endpoint/private/weight-cache";
import { InferenceServer } from "../../lib/endpoint/inference-server";
import { expectValidCustomResources, manifestsOf } from "../harness/k8s-schemas";
import { parseTemplateJson, resourcesOf } from "../util";
import { chatProps, platformAndServing } from "./fixtures";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(overrides: Partial<CanaryModelEndpointProps> = {}, id = "chat") {
  const { cluster, serving } = platformAndServing();
  const endpoint = new CanaryModelEndpoint(serving, id, chatProps(cluster, overrides));
  const json: Json = JSON.parse(Testing.synth(serving));
  const manifests = manifestsOf(json).map((m) => m.manifest);
  const byKind = (kind: string, name?: string) => manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  return { cluster, serving, endpoint, json, manifests, byKind };
}

function problemsOf(overrides: Partial<CanaryModelEndpointProps>, mutate?: (p: CanaryModelEndpointProps) => CanaryModelEndpointProps): string {
  const { cluster, serving } = platformAndServing();
  let props = chatProps(cluster, overrides);
  if (mutate) props = mutate(props);
  try {
    new CanaryModelEndpoint(serving, "chat", props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a ValidationError");
}

describe("CanaryModelEndpoint with defaults (vLLM, L4 pool)", () => {
  let b: ReturnType<typeof build>;
  let rollout: Json;
  let container: Json;
  beforeAll(() => {
    b = build();
    rollout = b.byKind("Rollout")[0];
    container = rollout.spec.template.spec.containers[0];
  });

  it("rolls out in steps 1, 5, 10, 25, 50, 100 percent, each followed by the rollback analysis", () => {
    const steps = rollout.spec.strategy.canary.steps;
    expect(steps.filter((s: Json) => s.setWeight !== undefined).map((s: Json) => s.setWeight)).toEqual([1, 5, 10, 25, 50, 100]);
    for (let i = 0; i < steps.length; i += 2) {
      expect(steps[i].setWeight).toBeDefined();
      expect(steps[i + 1].analysis.templates).toEqual([{ templateName: "chat-rollback-checks" }]);
    }
    // The analysis is the bake: 10 one-minute measurements per step (20 of 30 s, one scrape, for the
    // server's error counter), 10 minutes either way.
    const template = b.byKind("AnalysisTemplate", "chat-rollback-checks")[0];
    for (const m of template.spec.metrics) {
      const [interval, count] = m.name === "server-error-rate" ? ["30s", 20] : ["1m", 10];
      expect(m.interval).toBe(interval);
      expect(m.count).toBe(count);
    }
  });

  it("measures the canary target group: the ALB and target group come from the Rollout's status", () => {
    const args = rollout.spec.strategy.canary.steps[1].analysis.args;
    expect(args).toEqual([
      { name: "load-balancer", valueFrom: { fieldRef: { fieldPath: "status.alb.loadBalancer.fullName" } } },
      { name: "canary-target-group", valueFrom: { fieldRef: { fieldPath: "status.alb.canaryTargetGroup.fullName" } } },
      // The latency check reads the canary's own pods in AMP.
      { name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } },
    ]);
    const template = b.byKind("AnalysisTemplate", "chat-rollback-checks")[0];
    const errorRate = template.spec.metrics.find((m: Json) => m.name === "error-rate");
    const dims = errorRate.provider.cloudWatch.metricDataQueries.find((q: Json) => q.id === "errors").metricStat.metric.dimensions;
    // Argo's fullName values lack the type prefixes CloudWatch dimensions carry.
    expect(dims).toEqual([
      { name: "LoadBalancer", value: "app/{{args.load-balancer}}" },
      { name: "TargetGroup", value: "targetgroup/{{args.canary-target-group}}" },
    ]);
  });

  it("guards every condition against empty data and sets failure and inconclusive limits explicitly", () => {
    const template = b.byKind("AnalysisTemplate", "chat-rollback-checks")[0];
    expect(template.spec.metrics.map((m: Json) => [m.name, Object.keys(m.provider)[0]])).toEqual([
      ["error-rate", "cloudWatch"],
      ["server-error-rate", "prometheus"],
      ["p99-latency", "prometheus"],
    ]);
    for (const m of template.spec.metrics) {
      if (m.provider.cloudWatch) {
        // Only the oldest value of the look-back (the judged minute) counts: a bad minute fails one measurement.
        expect(m.successCondition).toMatch(/^len\(result\[0\]\.Values\) > 0 && result\[0\]\.Values\[len\(result\[0\]\.Values\) - 1\] >= 0 && result\[0\]\.Values\[len\(result\[0\]\.Values\) - 1\] <= /);
        expect(m.failureCondition).toMatch(/^len\(result\[0\]\.Values\) > 0 && result\[0\]\.Values\[len\(result\[0\]\.Values\) - 1\] > /);
      } else {
        // No result (too few requests, no canary pod scraped) is neither success nor failure.
        expect(m.successCondition).toMatch(/^len\(result\) > 0 && result\[0\] <= /);
        expect(m.failureCondition).toMatch(/^len\(result\) > 0 && result\[0\] > /);
      }
      expect(m.initialDelay).toBe(m.name === "server-error-rate" ? "30s" : "1m");
      expect(m.failureLimit).toBe(1);
      expect(m.inconclusiveLimit).toBe(m.name === "server-error-rate" ? 10 : 5);
      expect(m.consecutiveErrorLimit).toBe(3);
    }
  });

  it("alarms on the same metrics, statistics, periods and thresholds as the analysis, for canary and stable", () => {
    const template = b.byKind("AnalysisTemplate", "chat-rollback-checks")[0];
    const alarms = resourcesOf(b.json, "aws_cloudwatch_metric_alarm");
    const threshold = (m: Json) => Number(/<= ([0-9.]+)$/.exec(m.successCondition)![1]);
    for (const m of template.spec.metrics.filter((x: Json) => x.provider.cloudWatch)) {
      for (const version of ["canary", "stable"]) {
        const alarm = Object.values(alarms).find((a: Json) => a.alarm_name === `ml-prod-models-chat-${version}-${m.name}`) as Json;
        expect(alarm).toBeDefined();
        expect(alarm.threshold).toBe(threshold(m));
        expect(alarm.comparison_operator).toBe("GreaterThanThreshold");
        // More than failureLimit failed minutes among a step's, as the analysis counts them.
        expect(alarm.evaluation_periods).toBe(m.count);
        expect(alarm.datapoints_to_alarm).toBe(m.failureLimit + 1);
        expect(alarm.alarm_actions).toHaveLength(1);
        const fromAnalysis = m.provider.cloudWatch.metricDataQueries.map((q: Json) =>
          q.expression ? { id: q.id, expression: q.expression } : { id: q.id, metric: q.metricStat.metric.metricName, stat: q.metricStat.stat, period: q.metricStat.period, namespace: q.metricStat.metric.namespace },
        );
        const fromAlarm = alarm.metric_query.map((q: Json) =>
          q.expression ? { id: q.id, expression: q.expression } : { id: q.id, metric: q.metric.metric_name, stat: q.metric.stat, period: q.metric.period, namespace: q.metric.namespace },
        );
        expect(fromAlarm).toEqual(fromAnalysis);
      }
    }
    expect(Object.keys(alarms)).toHaveLength(2);
    // The server-metric checks alarm through AMP alerting rules, with the analysis's threshold and failure count.
    const data = (Object.values(resourcesOf(b.json, "aws_prometheus_rule_group_namespace"))[0] as Json).data as string;
    for (const m of template.spec.metrics.filter((x: Json) => x.provider.prometheus)) {
      expect(data).toContain(`> ${threshold(m)})[10m:${m.interval}]) > ${m.failureLimit}`);
    }
  });

  it("defaults the rollback thresholds to 1% errors and 30 s p99 latency", () => {
    const alarms = Object.values(resourcesOf(b.json, "aws_cloudwatch_metric_alarm")) as Json[];
    expect(alarms.find((a) => a.alarm_name.endsWith("canary-error-rate"))!.threshold).toBe(1);
    const template = b.byKind("AnalysisTemplate", "chat-rollback-checks")[0];
    expect(template.spec.metrics.find((m: Json) => m.name === "p99-latency").successCondition).toBe("len(result) > 0 && result[0] <= 30");
  });

  it("requests the pool's GPUs and lands only on the pool, tolerating its taint", () => {
    expect(container.resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(container.resources.requests["nvidia.com/gpu"]).toBe("1");
    const spec = rollout.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ "secure-inference.io/pool": "l4" });
    expect(spec.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(spec.topologySpreadConstraints.map((t: Json) => t.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
  });

  it("runs vLLM with explicit batching: max-num-seqs, max-num-batched-tokens, prefix caching, memory utilization, tensor parallel", () => {
    const args: string[] = container.args;
    const flag = (f: string) => args[args.indexOf(f) + 1];
    expect(flag("--max-num-seqs")).toBe("64");
    expect(flag("--max-num-batched-tokens")).toBe("8192");
    expect(flag("--gpu-memory-utilization")).toBe("0.9");
    expect(flag("--tensor-parallel-size")).toBe("1");
    expect(args).toContain("--enable-prefix-caching");
  });

  it("runs restricted: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, no service account token", () => {
    const spec = rollout.spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    }
  });

  it("streams the weights from its prefix of the model bucket with the Run:ai Model Streamer, under a role that may read only that prefix", () => {
    const spec = rollout.spec.template.spec;
    // No download into an emptyDir: vLLM reads s3://<bucket>/<prefix>/ itself.
    expect(spec.initContainers).toBeUndefined();
    expect(spec.volumes.map((v: Json) => v.name)).not.toContain("models");
    const args: string[] = container.args;
    const flag = (f: string) => args[args.indexOf(f) + 1];
    expect(flag("--model")).toMatch(/^s3:\/\/\$\{.*\}\/llama-3\.1-8b-instruct\/$/);
    expect(flag("--load-format")).toBe("runai_streamer");
    // g6.xlarge: 10 Gbit/s / 85 MB/s per connection -> 15 connections; a quarter of the pod's 12 GiB as buffer.
    expect(JSON.parse(flag("--model-loader-extra-config"))).toEqual({ concurrency: 15, memory_limit: 3 * 1024 ** 3 });
    const env = Object.fromEntries(container.env.map((x: Json) => [x.name, x.value]));
    expect(env.AWS_REGION).toMatch(/aws_region/);
    expect(env.AWS_DEFAULT_REGION).toBe(env.AWS_REGION);
    // Credentials come from the Pod Identity association (container credentials), never keys.
    expect(Object.keys(env).filter((k) => /SECRET|ACCESS_KEY/.test(k))).toEqual([]);
    const policies = Object.values(resourcesOf(b.json, "aws_iam_policy")) as Json[];
    const doc = parseTemplateJson(policies[0].policy);
    const get = doc.Statement.find((s: Json) => s.Sid === "ReadModelObjects");
    expect(get.Action).toEqual("s3:GetObject");
    expect(get.Resource).toMatch(/\/llama-3\.1-8b-instruct\/\*$/);
    const actions = doc.Statement.flatMap((s: Json) => [s.Action].flat());
    expect(actions.filter((a: string) => !/^(s3:GetObject|s3:ListBucket|kms:Decrypt)$/.test(a))).toEqual([]);
    const assoc = Object.values(resourcesOf(b.json, "aws_eks_pod_identity_association")) as Json[];
    expect(assoc.map((a) => [a.namespace, a.service_account])).toEqual([["models", "chat"]]);
  });

  it("sizes the startup probe and the progress deadline to the model", () => {
    // The probe waits for the streamed weights and the warm-up (the cold start on a warm node), three
    // times over: the cold start is a model, and a slow start must not be restarted in a loop.
    expect(container.startupProbe.periodSeconds).toBe(10);
    expect(container.startupProbe.failureThreshold).toBe(Math.ceil((3 * b.endpoint.podStartSeconds) / 10));
    expect(rollout.spec.progressDeadlineSeconds).toBe(b.endpoint.podStartSeconds + 600);
    expect(rollout.spec.progressDeadlineAbort).toBe(true);
  });

  it("sizes the startup probe and the progress deadline from a warm-up the endpoint gives", () => {
    const given = build({ warmupSeconds: 30 }, "measured");
    const r = given.byKind("Rollout")[0];
    const probe = r.spec.template.spec.containers[0].startupProbe;
    expect(given.endpoint.coldStart.assumptions.warmupSeconds).toBe(30);
    expect(given.endpoint.podStartSeconds).toBe(b.endpoint.podStartSeconds - (b.endpoint.coldStart.assumptions.warmupSeconds - 30));
    expect(probe.failureThreshold).toBe(Math.ceil((3 * given.endpoint.podStartSeconds) / 10));
    expect(r.spec.progressDeadlineSeconds).toBe(given.endpoint.podStartSeconds + 600);
  });

  it("scales the Rollout with KEDA on queue depth from AMP, and keeps the stable version warm when a cold start would break the rollback budget", () => {
    const so = b.byKind("ScaledObject")[0];
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "chat" });
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.maxReplicaCount).toBe(4);
    const trigger = so.spec.triggers[0];
    expect(trigger.type).toBe("prometheus");
    expect(trigger.metadata.query).toContain("vllm:num_requests_waiting");
    expect(trigger.metadata.query).toContain('namespace="models"');
    expect(trigger.metadata.threshold).toBe("4");
    expect(b.byKind("TriggerAuthentication")[0].spec.podIdentity).toEqual({ provider: "aws" });
    // 1 replica: at 100% the stable version shrinks to none, and its cold start (streamed 8B weights
    // and vLLM's warm-up) plus 90 s detection stays within the default 5 minute budget: it shrinks.
    const t = b.endpoint.rolloutTiming;
    expect(t.stablePolicy.warmStable).toBe(false);
    expect(t.stablePolicy.worstStepRollbackSecondsWithoutWarmStable).toBe(t.detectionSeconds + b.endpoint.podStartSeconds);
    expect(t.stablePolicy.worstStepRollbackSecondsWithoutWarmStable).toBeLessThanOrEqual(300);
    expect(rollout.spec.strategy.canary.dynamicStableScale).toBe(true);
    expect(rollout.spec.strategy.canary.scaleDownDelaySeconds).toBeUndefined();
    expect(rollout.spec.replicas).toBeUndefined();
  });

  it("keeps the stable version at full size when a cold start would break a shorter rollback budget", () => {
    const short = build({ rollout: { rollbackBudget: "3m" } });
    const t = short.endpoint.rolloutTiming;
    expect(t.stablePolicy.worstStepRollbackSecondsWithoutWarmStable).toBeGreaterThan(180);
    expect(t.stablePolicy.warmStable).toBe(true);
    // Kept warm, every step reverts at once: the rollback is the detection.
    expect(t.worstStep.rollbackSeconds).toBe(t.detectionSeconds);
    const r = short.byKind("Rollout")[0];
    expect(r.spec.strategy.canary.dynamicStableScale).toBe(false);
    expect(r.spec.strategy.canary.scaleDownDelaySeconds).toBeUndefined();
  });

  it("puts an internal HTTPS ALB with a TLS 1.2+ policy in front, driven by Argo Rollouts", () => {
    const ing = Object.values(resourcesOf(b.json, "kubernetes_ingress_v1"))[0] as Json;
    const a = ing.metadata.annotations;
    expect(a["alb.ingress.kubernetes.io/scheme"]).toBe("internal");
    expect(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTPS: 443 }]);
    expect(a["alb.ingress.kubernetes.io/ssl-policy"]).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(/^arn:aws:acm:/);
    expect(rollout.spec.strategy.canary.trafficRouting.alb).toEqual({ ingress: "chat", servicePort: 8000 });
    expect(ing.spec.rule[0].http.path[0].backend.service).toEqual({ name: "chat-stable", port: { name: "use-annotation" } });
    expect(ing.wait_for_load_balancer).toBe(true);
  });

  it("admits only the load balancer subnets (which hold no pods) to the pods, and scrapes their metrics", () => {
    const policies = Object.values(resourcesOf(b.json, "kubernetes_network_policy_v1")) as Json[];
    expect(policies).toHaveLength(1);
    expect(b.cluster.connection.loadBalancerCidrs).toEqual(["10.0.248.0/24", "10.0.249.0/24"]);
    expect(policies[0].spec.ingress[0].from).toEqual([{ ip_block: { cidr: "10.0.248.0/24" } }, { ip_block: { cidr: "10.0.249.0/24" } }]);
    expect(container.lifecycle.preStop).toEqual({ sleep: { seconds: 20 } });
    expect(rollout.spec.template.metadata.annotations["prometheus.io/scrape"]).toBe("true");
    const pdb = Object.values(resourcesOf(b.json, "kubernetes_pod_disruption_budget_v1"))[0] as Json;
    expect(pdb.spec.max_unavailable).toBe("1");
  });

  it("passes the @kubernetes-models schema of every custom resource", () => {
    expect(b.manifests.map((m) => m.kind).sort()).toEqual(["AnalysisTemplate", "Rollout", "ScaledObject", "TriggerAuthentication"]);
    expectValidCustomResources(b.manifests);
  });

  it("has a dashboard of stable vs canary traffic, errors and latency", () => {
    const dash = Object.values(resourcesOf(b.json, "aws_cloudwatch_dashboard"))[0] as Json;
    const body = parseTemplateJson(dash.dashboard_body);
    const titles = body.widgets.map((w: Json) => w.properties.title).filter(Boolean);
    expect(titles).toEqual(expect.arrayContaining(["Requests per minute", "Target 5xx and connection errors", "Time to first byte at the ALB, p50 / p99 (s; streamed completions count their first byte)", "Rollback alarms"]));
  });

  it("computes the worst-case time to rollback and the exposure of a canary bad from the start", () => {
    const t = b.endpoint.rolloutTiming;
    // Detection by vLLM's own error counter in AMP: the next 30 s scrape, the next 30 s measurement,
    // and a second failed one (the ALB's check, at 240 s, is the slower of the two).
    expect(t.detectionSeconds).toBe(90);
    // At 1% with one replica the stable version keeps its replica: traffic reverts at once.
    expect(t.firstStep).toMatchObject({ weightPercent: 1, stableReplicas: 1, revertSeconds: 0, rollbackSeconds: 90, exposurePercentMinutes: 1.5 });
    expect(t.fullRolloutSeconds).toBe(6 * 600);
  });

  it("matches the snapshot of its custom resources", () => {
    expect(b.manifests).toMatchSnapshot();
  });
});

describe("CanaryModelEndpoint options", () => {
  it("runs a pre-traffic evaluation job against the canary before any traffic", () => {
    const b = build({ rollout: { preTrafficEvaluation: { image: "registry.example.com/evals:1.2.0", args: ["--suite", "golden"] } } });
    const steps = b.byKind("Rollout")[0].spec.strategy.canary.steps;
    // The evaluated replica stays: weight-based canary scaling resumes only once the first weight is set.
    expect(steps.slice(0, 5)).toEqual([
      { setCanaryScale: { replicas: 1 } },
      { analysis: { templates: [{ templateName: "chat-pre-traffic-evaluation" }] } },
      { setWeight: 1 },
      { setCanaryScale: { matchTrafficWeight: true } },
      expect.objectContaining({ analysis: expect.objectContaining({ templates: [{ templateName: "chat-rollback-checks" }] }) }),
    ]);
    const gate = b.byKind("AnalysisTemplate", "chat-pre-traffic-evaluation")[0];
    const job = gate.spec.metrics[0].provider.job.spec;
    expect(job.backoffLimit).toBe(0);
    const c = job.template.spec.containers[0];
    expect(c.image).toBe("registry.example.com/evals:1.2.0");
    expect(c.env).toContainEqual({ name: "ENDPOINT_URL", value: "http://chat-canary.models.svc.cluster.local:8000/v1" });
    expect(c.env).toContainEqual({ name: "ENDPOINT_API", value: "openai" });
    // Restricted, as every pod of the library; the job writes only to its /tmp volume.
    expect(job.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(job.template.spec.automountServiceAccountToken).toBe(false);
    expectValidCustomResources(b.manifests);
    // The job may reach the canary; the canary admits it.
    const policies = Object.values(resourcesOf(b.json, "kubernetes_network_policy_v1")) as Json[];
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(["chat-evaluation-egress", "chat-from-callers", "chat-from-load-balancer"]);
  });

  it("adds a time-to-first-token check from AMP with SigV4 when asked", () => {
    const b = build({ rollbackWhen: { timeToFirstTokenP99Ms: 1500 } });
    const template = b.byKind("AnalysisTemplate", "chat-rollback-checks")[0];
    const ttft = template.spec.metrics.find((m: Json) => m.name === "ttft-p99");
    // The cluster's region (a reference to the platform stack, resolved through remote state).
    expect(Object.keys(ttft.provider.prometheus.authentication)).toEqual(["sigv4"]);
    expect(ttft.provider.prometheus.authentication.sigv4.region).toMatch(/aws_region/);
    expect(ttft.provider.prometheus.query).toContain("vllm:time_to_first_token_seconds_bucket");
    expect(ttft.successCondition).toBe("len(result) > 0 && result[0] <= 1.5");
    const args = b.byKind("Rollout")[0].spec.strategy.canary.steps[1].analysis.args;
    expect(args).toContainEqual({ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } });
    expectValidCustomResources(b.manifests);
  });

  it("serves a large model across 4 GPUs of the H100 pool", () => {
    const b = build({
      model: { name: "llama-3.1-70b-instruct", source: "llama-3.1-70b-instruct/", parametersBillions: 70, dtype: "bfloat16" },
      gpu: { pool: "h100", perReplica: 4 },
    }, "large");
    const c = b.byKind("Rollout")[0].spec.template.spec.containers[0];
    expect(c.resources.limits["nvidia.com/gpu"]).toBe("4");
    expect(c.args[c.args.indexOf("--tensor-parallel-size") + 1]).toBe("4");
    expect(b.endpoint.fit.fits).toBe(true);
  });

  it("adds a drift alarm with CloudWatch anomaly detection on an application metric", () => {
    const b = build({ driftAlarm: { namespace: "ChatApp", metricName: "AnswerQualityScore" } });
    const drift = Object.values(resourcesOf(b.json, "aws_cloudwatch_metric_alarm")).find((a: Json) => a.alarm_name.endsWith("-drift")) as Json;
    expect(drift.comparison_operator).toBe("LessThanLowerOrGreaterThanUpperThreshold");
    expect(drift.threshold_metric_id).toBe("band");
    expect(drift.metric_query.find((q: Json) => q.id === "band").expression).toBe("ANOMALY_DETECTION_BAND(m, 2)");
  });
});

describe("CanaryModelEndpoint on Triton", () => {
  const evaluation = { image: "registry.example.com/evals:1.2.0" };

  it("runs Triton's vllm backend at a fixed number of replicas: KEDA holds them and reads no missing queue metric", () => {
    const b = build({ server: InferenceServer.triton({ maxModelLen: 16384 }), autoscaling: { minReplicas: 2, maxReplicas: 2 }, rollout: { preTrafficEvaluation: evaluation } });
    const so = b.byKind("ScaledObject")[0];
    expect(so.spec.minReplicaCount).toBe(2);
    expect(so.spec.maxReplicaCount).toBe(2);
    expect(so.spec.triggers[0].metadata.query).toBe("vector(0)");
    expect(JSON.stringify(b.json)).not.toContain("vllm:num_requests_waiting");
    // The dashboard says there is no queue metric rather than showing a query that returns nothing.
    const dash = Object.values(resourcesOf(b.json, "aws_cloudwatch_dashboard"))[0] as Json;
    expect(dash.dashboard_body).toContain("Queue depth: none; this server exports no queue metric");
    // model.json tells vLLM the context the fit check sized the KV cache for.
    const files = Object.values(resourcesOf(b.json, "kubernetes_config_map_v1")).map((cm) => Object.values((cm as Json).data).join("\n")).join("\n");
    expect(files).toMatch(/"max_model_len": 16384/);
    expect(b.endpoint.fit.requiredKvTokens).toBe(16384);
    expectValidCustomResources(b.manifests);
  });

  it("gives Triton's evaluation job the KServe v2 base URL it really serves, named by ENDPOINT_API", () => {
    const b = build({ server: InferenceServer.triton(), autoscaling: { minReplicas: 1, maxReplicas: 1 }, rollout: { preTrafficEvaluation: evaluation } });
    const gate = b.byKind("AnalysisTemplate", "chat-pre-traffic-evaluation")[0];
    const c = gate.spec.metrics[0].provider.job.spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: "ENDPOINT_URL", value: "http://chat-canary.models.svc.cluster.local:8000/v2" });
    expect(c.env).toContainEqual({ name: "ENDPOINT_API", value: "kserve-v2" });
  });

  it("scales Triton's batching backends on mean queued requests over a rate window of 4 scrape intervals", () => {
    const b = build({ server: InferenceServer.triton({ backend: "python" }) });
    const query: string = b.byKind("ScaledObject")[0].spec.triggers[0].metadata.query;
    expect(query).toBe(
      'sum(rate(nv_inference_queue_duration_us{namespace="models",secure_inference_io_endpoint="chat"}[120s])) / 1e6 / count(nv_inference_request_success{namespace="models",secure_inference_io_endpoint="chat"})',
    );
  });

  it("refuses queue-depth autoscaling on Triton's vllm backend, named by the construct's path", () => {
    expect(problemsOf({ server: InferenceServer.triton() })).toMatch(
      /^serving\/chat: invalid CanaryModelEndpoint props \(1 problem\):\n- autoscaling: minReplicas 1 \(default\) and maxReplicas 4 \(default\) ask for scaling on queue depth, but Triton's vllm backend exports no queue-depth metric.*or serve the model with InferenceServer\.vllm\(\)/,
    );
  });
});

describe("CanaryModelEndpoint DNS, session affinity and warnings", () => {
  it("creates the host as an alias of its load balancer in a private hosted zone", () => {
    const b = build({ ingress: { certificateArn: chatProps(platformAndServing().cluster).ingress.certificateArn, host: "chat.models.example.internal", privateHostedZoneId: "Z0123456789ABCDEFGHIJ" } });
    const record = Object.values(resourcesOf(b.json, "aws_route53_record"))[0] as Json;
    expect(record).toMatchObject({ zone_id: "Z0123456789ABCDEFGHIJ", name: "chat.models.example.internal", type: "A" });
    expect(record.alias.name).toMatch(/^\$\{data\.aws_lb\./);
    expect(b.endpoint.host).toBe("chat.models.example.internal");
  });

  it("keeps cookie-carrying clients on one replica and one version when session affinity is on", () => {
    const b = build({ ingress: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f", sessionAffinitySeconds: 3600 } });
    const ing = Object.values(resourcesOf(b.json, "kubernetes_ingress_v1"))[0] as Json;
    expect(ing.metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe(
      "deregistration_delay.timeout_seconds=60,stickiness.enabled=true,stickiness.type=lb_cookie,stickiness.lb_cookie.duration_seconds=3600",
    );
    expect(b.byKind("Rollout")[0].spec.strategy.canary.trafficRouting.alb.stickinessConfig).toEqual({ enabled: true, durationSeconds: 3600 });
    expectValidCustomResources(b.manifests);
  });

  // The checks and warnings themselves are resolveEndpoint's (test/endpoint/private/resolve-endpoint.test.ts).
  it("reports the warnings of its props as synth warnings", () => {
    const { cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "small-budget", chatProps(cluster, {
      server: InferenceServer.vllm({ maxModelLen: 16384, enableChunkedPrefill: true, maxNumBatchedTokens: 2048 }),
      sharedPrefixTokens: 4000,
    }));
    Testing.synth(serving);
    const warnings = serving.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.join("\n")).toMatch(/server\.maxNumBatchedTokens 2048 cannot hold the 4000-token shared prefix beside 64 running sequences.*at least 4064/);
  });

  it("downloads a non-streaming server's weights with the CLI's CRT client at the replica's network share, failing on any failed object", () => {
    const b = build({ server: InferenceServer.tgi() }, "tgi");
    const init = b.byKind("Rollout")[0].spec.template.spec.initContainers[0];
    expect(init.name).toBe("fetch-model");
    expect(init.command).toEqual(["/bin/sh", "-c", DOWNLOAD_SCRIPT]);
    expect(DOWNLOAD_SCRIPT).toMatch(/^set -e\naws configure set default\.s3\.preferred_transfer_client crt\naws configure set default\.s3\.target_bandwidth "\$TARGET_GBPS"Gb\/s\nexec aws s3 sync --only-show-errors --no-progress "s3:\/\/\$BUCKET\/\$PREFIX" "\$MODEL_DIR"\n$/);
    const env = Object.fromEntries(init.env.map((v: Json) => [v.name, v.value]));
    expect(env).toMatchObject({ MODEL_DIR: "/models/tgi", PREFIX: "llama-3.1-8b-instruct/", TARGET_GBPS: "10" });
    expect(env.BUCKET).toMatch(/^\$\{[^}]+\}$/);
    // HOME is the writable emptyDir the CLI's config goes to.
    expect(init.env).toEqual(expect.arrayContaining([{ name: "HOME", value: "/tmp" }]));
    expect(init.volumeMounts).toEqual(expect.arrayContaining([{ name: "fetch-tmp", mountPath: "/tmp" }]));
    expect(b.endpoint.coldStart.assumptions.weightsMBPerSecond).toBe(1250);
  });

  it("refuses a model source a shell word or IAM resource could not hold", () => {
    expect(problemsOf({ model: { name: "m", source: "it's/", parametersBillions: 8, dtype: "bfloat16" } })).toMatch(/model\.source: "it's\/" may hold only letters, digits and ! _ \. \( \) - \//);
  });

  it("warns that the default TGI image cannot run as non-root under restricted Pod Security", () => {
    const { cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "tgi", chatProps(cluster, { server: InferenceServer.tgi() }));
    Testing.synth(serving);
    const warnings = serving.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.join("\n")).toMatch(/cannot start as a non-root user \(huggingface\/text-generation-inference#3082\)/);
  });
});

// Every check is resolveEndpoint's (test/endpoint/private/resolve-endpoint.test.ts); the construct throws them at once.
describe("CanaryModelEndpoint validation", () => {
  it("throws one ValidationError with every problem, named by the construct's path", () => {
    const msg = problemsOf({
      gpu: { pool: "a100", perReplica: 1 },
      autoscaling: { minReplicas: 5, maxReplicas: 2 },
      rollout: { steps: [5, 5, 50] },
      rollbackWhen: { errorRatePercent: 0, p99LatencyMs: -5 },
      server: InferenceServer.vllm({ image: "vllm/vllm-openai", maxModelLen: 16384, maxNumBatchedTokens: 4096 }),
    });
    // The step budget below maxModelLen is not among them: vLLM 0.11 (V1) always chunks prefill.
    expect(msg).toMatch(/^serving\/chat: invalid CanaryModelEndpoint props \(7 problems\):\n- gpu\.pool: "a100" is not a GPU pool/);
    expect(msg).toMatch(/\n- rollbackWhen\.p99LatencyMs: -5 must be a positive number/);
  });

  it("fails the fit check for a 70B bfloat16 model on one 24 GiB GPU", () => {
    const msg = problemsOf({ model: { name: "llama-3.1-70b-instruct", source: "llama-3.1-70b-instruct/", parametersBillions: 70, dtype: "bfloat16" } });
    expect(msg).toMatch(/serving\/chat: invalid CanaryModelEndpoint props/);
    expect(msg).toMatch(/130\.4 GiB of weights/);
  });

  it("refuses a placement the capacity plan cannot hold", () => {
    expect(problemsOf({ autoscaling: { minReplicas: 9, maxReplicas: 9 } })).toMatch(/pool "l4" \(at most 8 x g6\.xlarge, 1 GPU each\) cannot hold the minimum replicas/);
  });

  it("leaves nothing behind when it throws", () => {
    const { cluster, serving } = platformAndServing();
    expect(() => new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { gpu: { pool: "nope" } }))).toThrow();
    expect(serving.node.tryFindChild("chat")).toBeUndefined();
    expect(TerraformStack.of(serving)).toBe(serving);
  });
});

import { Testing } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SchemaResult, expectValidCustomResources, manifestsOf, validateCustomResources } from "./k8s-schemas";

const ARGO = "argoproj.io/v1alpha1";
const KEDA = "keda.sh/v1alpha1";

const podTemplate = {
  metadata: { labels: { app: "llm" } },
  spec: {
    containers: [
      {
        name: "server",
        image: "vllm/vllm-openai:v0.6.0",
        ports: [{ containerPort: 8000 }],
        resources: { limits: { "nvidia.com/gpu": "1" } },
      },
    ],
  },
};

const cases = {
  minimalRollout: {
    apiVersion: ARGO,
    kind: "Rollout",
    metadata: { name: "llm" },
    spec: {
      selector: { matchLabels: { app: "llm" } },
      template: podTemplate,
      strategy: { canary: { steps: [{ setWeight: 1 }, { pause: { duration: "10m" } }] } },
    },
  },
  fullRollout: {
    apiVersion: ARGO,
    kind: "Rollout",
    metadata: { name: "llm-full", namespace: "models" },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: 900,
      progressDeadlineAbort: true,
      analysis: { successfulRunHistoryLimit: 3, unsuccessfulRunHistoryLimit: 3 },
      selector: { matchLabels: { app: "llm" } },
      template: podTemplate,
      strategy: {
        canary: {
          canaryService: "llm-canary",
          stableService: "llm-stable",
          dynamicStableScale: true,
          abortScaleDownDelaySeconds: 30,
          trafficRouting: {
            alb: {
              ingress: "llm",
              servicePort: 80,
              rootService: "llm-root",
              annotationPrefix: "alb.ingress.kubernetes.io",
              stickinessConfig: { enabled: true, durationSeconds: 300 },
            },
          },
          analysis: {
            templates: [{ templateName: "llm-success-rate" }],
            startingStep: 1,
            args: [
              { name: "service", value: "llm-canary" },
              { name: "hash", valueFrom: { podTemplateHashValue: "Latest" } },
              { name: "ns", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            ],
          },
          steps: [
            { setWeight: 1 },
            { pause: { duration: "10m" } },
            { analysis: { templates: [{ templateName: "llm-smoke", clusterScope: false }], args: [{ name: "service", value: "${var.svc}" }] } },
            { setWeight: 50 },
            { pause: {} },
          ],
        },
      },
    },
  },
  // scaleDownDelaySeconds is not valid together with dynamicStableScale for the controller, so it lives in its own manifest.
  rolloutScaleDownDelay: {
    apiVersion: ARGO,
    kind: "Rollout",
    metadata: { name: "llm-delay" },
    spec: { template: podTemplate, strategy: { canary: { scaleDownDelaySeconds: 30, steps: [{ setWeight: 10 }] } } },
  },
  invalidSetWeight: {
    apiVersion: ARGO,
    kind: "Rollout",
    metadata: { name: "bad" },
    spec: { template: podTemplate, strategy: { canary: { steps: [{ setWeight: "x" }] } } },
  },
  typoRollout: {
    apiVersion: ARGO,
    kind: "Rollout",
    metadata: { name: "typo" },
    spec: { template: podTemplate, strategy: { canary: { steps: [{ setWeigth: 5 }] } } },
  },
  scaledObject: {
    apiVersion: KEDA,
    kind: "ScaledObject",
    metadata: { name: "llm", namespace: "models" },
    spec: {
      scaleTargetRef: { apiVersion: ARGO, kind: "Rollout", name: "llm" },
      minReplicaCount: 1,
      maxReplicaCount: 8,
      pollingInterval: 15,
      cooldownPeriod: 300,
      initialCooldownPeriod: 120,
      fallback: { failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" },
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] },
            scaleUp: { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 60 }] },
          },
        },
      },
      triggers: [
        {
          type: "prometheus",
          authenticationRef: { name: "amp" },
          metadata: {
            serverAddress: "${aws_prometheus_workspace.amp.prometheus_endpoint}",
            query: 'sum(vllm:num_requests_waiting{namespace="models"})',
            threshold: "10",
            awsRegion: "us-east-1",
            identityOwner: "operator",
          },
        },
      ],
    },
  },
  triggerAuthentication: {
    apiVersion: KEDA,
    kind: "TriggerAuthentication",
    metadata: { name: "amp", namespace: "models" },
    spec: { podIdentity: { provider: "aws", roleArn: "${aws_iam_role.keda.arn}" } },
  },
  badPodIdentityProvider: {
    apiVersion: KEDA,
    kind: "TriggerAuthentication",
    metadata: { name: "bad-provider" },
    spec: { podIdentity: { provider: "aws-irsa" } },
  },
  tokenInIntegerField: {
    apiVersion: KEDA,
    kind: "ScaledObject",
    metadata: { name: "token" },
    spec: { scaleTargetRef: { name: "llm" }, cooldownPeriod: "${var.cooldown}", triggers: [{ type: "cpu", metadata: { value: "60" } }] },
  },
  cloudWatchTemplate: {
    apiVersion: ARGO,
    kind: "AnalysisTemplate",
    metadata: { name: "llm-errors" },
    spec: {
      args: [{ name: "lb" }, { name: "ns", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } }],
      metrics: [
        {
          name: "error-rate",
          interval: "1m",
          count: 5,
          failureLimit: 1,
          successCondition: "all(result[0].Values, {# <= 0.01})",
          provider: {
            cloudWatch: {
              interval: "5m",
              metricDataQueries: [
                { id: "rate", expression: "errors / requests", returnData: true },
                {
                  id: "errors",
                  returnData: false,
                  metricStat: {
                    metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: [{ name: "LoadBalancer", value: "{{args.lb}}" }] },
                    period: 60,
                    stat: "Sum",
                    unit: "Count",
                  },
                },
                {
                  id: "requests",
                  returnData: false,
                  metricStat: { metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: [{ name: "LoadBalancer", value: "{{args.lb}}" }] }, period: 60, stat: "Sum" },
                },
              ],
            },
          },
        },
      ],
    },
  },
  prometheusSigv4Template: {
    apiVersion: ARGO,
    kind: "AnalysisTemplate",
    metadata: { name: "llm-latency" },
    spec: {
      metrics: [
        {
          name: "p99",
          interval: "1m",
          successCondition: "result[0] < 2",
          provider: {
            prometheus: {
              address: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-123",
              query: "histogram_quantile(0.99, sum(rate(vllm:e2e_request_latency_seconds_bucket[5m])) by (le))",
              timeout: 30,
              authentication: { sigv4: { region: "us-east-1", roleArn: "arn:aws:iam::123456789012:role/amp-query" } },
            },
          },
        },
      ],
    },
  },
  jobTemplate: {
    apiVersion: ARGO,
    kind: "ClusterAnalysisTemplate",
    metadata: { name: "llm-smoke" },
    spec: {
      args: [{ name: "service" }],
      metrics: [
        {
          name: "smoke",
          provider: {
            job: {
              metadata: { labels: { purpose: "smoke" } },
              spec: {
                backoffLimit: 0,
                template: { spec: { restartPolicy: "Never", containers: [{ name: "curl", image: "curlimages/curl:8.8.0", args: ["-fsS", "http://{{args.service}}/health"] }] } },
              },
            },
          },
        },
      ],
    },
  },
  unknownKind: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
};

type CaseName = keyof typeof cases;
const names = Object.keys(cases) as CaseName[];
let results: Record<CaseName, SchemaResult>;

beforeAll(() => {
  // One child process for every manifest.
  const all = validateCustomResources(names.map((n) => cases[n]));
  results = Object.fromEntries(names.map((n, i) => [n, all[i]])) as Record<CaseName, SchemaResult>;
});

describe("harness: @kubernetes-models CRD schemas", () => {
  it("reports one result per manifest, in order, with identity fields", () => {
    names.forEach((n, i) => {
      expect(results[n].index).toBe(i);
      expect(results[n].apiVersion).toBe(cases[n].apiVersion);
      expect(results[n].kind).toBe(cases[n].kind);
      expect(results[n].name).toBe(cases[n].metadata.name);
    });
  });

  it.each([
    "minimalRollout",
    "fullRollout",
    "rolloutScaleDownDelay",
    "scaledObject",
    "triggerAuthentication",
    "cloudWatchTemplate",
    "prometheusSigv4Template",
    "jobTemplate",
  ] as CaseName[])("accepts %s", (n) => {
    expect(results[n].errors).toEqual([]);
    expect(results[n].valid).toBe(true);
  });

  it("rejects a non-integer setWeight", () => {
    expect(results.invalidSetWeight.valid).toBe(false);
    expect(results.invalidSetWeight.errors).toEqual(["/spec/strategy/canary/steps/0/setWeight must be integer"]);
  });

  it("rejects fields the schema does not declare (typos)", () => {
    expect(results.typoRollout.valid).toBe(false);
    expect(results.typoRollout.errors).toEqual(['/spec/strategy/canary/steps/0 must NOT have additional properties (additionalProperty: "setWeigth")']);
  });

  it("rejects a podIdentity provider outside the enum, listing the allowed values", () => {
    expect(results.badPodIdentityProvider.valid).toBe(false);
    expect(results.badPodIdentityProvider.errors).toEqual([
      '/spec/podIdentity/provider must be equal to one of the allowed values (allowedValues: ["azure-workload","gcp","aws","aws-eks","none"])',
    ]);
  });

  it("validates ${...} tokens as strings: fine for string fields, an error for integer fields", () => {
    expect(results.tokenInIntegerField.errors).toEqual(["/spec/cooldownPeriod must be integer"]);
  });

  it("never passes a kind it has no schema for", () => {
    expect(results.unknownKind.valid).toBe(false);
    expect(results.unknownKind.errors).toEqual(["no @kubernetes-models schema for example.com/v1 Widget"]);
  });

  it("expectValidCustomResources throws one error naming every invalid manifest", () => {
    expect(() => expectValidCustomResources([cases.minimalRollout, cases.invalidSetWeight, cases.unknownKind])).toThrow(
      /2 of 3 manifest\(s\) fail[\s\S]*#1 argoproj\.io\/v1alpha1 Rollout "bad":\s+\/spec\/strategy\/canary\/steps\/0\/setWeight must be integer[\s\S]*#2 example\.com\/v1 Widget "w":\s+no @kubernetes-models schema/,
    );
  });

  it("strict: false only applies the published schema (which accepts undeclared fields)", () => {
    const [typo] = validateCustomResources([cases.typoRollout], { strict: false });
    expect(typo.valid).toBe(true);
  });
});

describe("harness: manifestsOf", () => {
  it("lists kubernetes_manifest manifests in logical-id order and ignores other resources", () => {
    const stack = {
      resource: {
        kubernetes_manifest: {
          zeta_so: { manifest: cases.scaledObject, field_manager: { force_conflicts: true } },
          alpha_rollout: { manifest: cases.minimalRollout },
        },
        kubernetes_namespace_v1: { ns: { metadata: { name: "models" } } },
      },
    };
    expect(manifestsOf(stack)).toEqual([
      { id: "alpha_rollout", manifest: cases.minimalRollout },
      { id: "zeta_so", manifest: cases.scaledObject },
    ]);
    expect(manifestsOf({})).toEqual([]);
  });

  it("reads real cdktf output with keys as written", () => {
    const synth = Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "k8s", {});
      new Manifest(scope, "rollout", { manifest: cases.minimalRollout });
    });
    expect(manifestsOf(JSON.parse(synth))).toEqual([{ id: "rollout", manifest: cases.minimalRollout }]);
  });

  it("refuses a manifest that is a token rather than an object", () => {
    expect(() => manifestsOf({ resource: { kubernetes_manifest: { m: { manifest: "${yamldecode(file(\"x.yaml\"))}" } } } })).toThrow(
      /kubernetes_manifest\.m\.manifest is not an object literal/,
    );
  });
});

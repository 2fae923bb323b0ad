/*
 * The pre-traffic evaluation gate: an AnalysisTemplate whose Job calls the canary, at 0% of user
 * traffic, with the user's harness; exit 0 lets the rollout take traffic, anything else aborts it.
 * The job gets the base URL of the API the server really answers: OpenAI-compatible /v1 for vLLM,
 * TGI and custom servers, KServe v2 /v2 for Triton (plain tritonserver serves no /v1:
 * triton-inference-server/server@r25.11:src/http_server.cc:1118-1127), named by ENDPOINT_API.
 */
import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import { restrictedContainerSecurity, restrictedManifestPodSecurity } from "../../private/pod-security";
import type { PreTrafficEvaluation } from "../canary-rollout";
import { ENDPOINT_LABEL } from "../endpoint-props";
import { SERVER_API_BASE_PATH } from "../servers/server-types";
import type { ResolvedEndpoint } from "./resolve-endpoint";

/** Label that selects the pods of an endpoint's evaluation job, for its network policies. */
export const EVALUATION_ROLE_LABEL = "secure-inference.io/role";
/** Non-root uid of the evaluation job. */
const EVALUATION_UID = 1000;

/** Labels that select the evaluation job's pods. */
export function evaluationPodSelector(e: ResolvedEndpoint): Record<string, string> {
  return { [EVALUATION_ROLE_LABEL]: e.names.evaluationPods };
}

/** The AnalysisTemplate that runs `gate` as a Job against the canary Service. */
export function evaluationTemplate(e: ResolvedEndpoint, gate: PreTrafficEvaluation): IAnalysisTemplate {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: e.names.preTrafficEvaluation, namespace: e.namespace, labels: e.labels },
    spec: {
      metrics: [
        {
          name: "evaluation",
          // A job either passes or fails: no retries, one measurement.
          failureLimit: 0,
          provider: {
            job: {
              metadata: { labels: { ...e.labels, [EVALUATION_ROLE_LABEL]: e.names.evaluationPods, [ENDPOINT_LABEL]: e.names.evaluationPods } },
              spec: {
                backoffLimit: 0,
                activeDeadlineSeconds: e.rollout.evaluationTimeoutSeconds,
                ttlSecondsAfterFinished: 86400,
                template: {
                  metadata: { labels: evaluationPodSelector(e) },
                  spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    securityContext: restrictedManifestPodSecurity(EVALUATION_UID, { fsGroup: false }),
                    containers: [
                      {
                        name: "evaluate",
                        image: gate.image,
                        ...(gate.command ? { command: gate.command } : {}),
                        ...(gate.args ? { args: gate.args } : {}),
                        env: [
                          { name: "ENDPOINT_URL", value: `http://${e.services.canary}.${e.namespace}.svc.cluster.local:${e.container.port}${SERVER_API_BASE_PATH[e.container.api]}` },
                          // "openai" or "kserve-v2": which protocol ENDPOINT_URL speaks.
                          { name: "ENDPOINT_API", value: e.container.api },
                          { name: "MODEL_NAME", value: e.servedModelName },
                          ...Object.entries(gate.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
                        ],
                        securityContext: restrictedContainerSecurity(true, { declarePrivileged: false }),
                        resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "2Gi" } },
                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                      },
                    ],
                    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

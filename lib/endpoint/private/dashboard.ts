import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { renderQueueDepthQuery } from "../servers/server-types";
import type { EndpointLoadBalancer } from "./ingress";
import type { ResolvedEndpoint } from "./resolve-endpoint";
import { ALB_NAMESPACE as NS } from "./rollback-checks";

/** What the endpoint dashboard shows. */
export interface DashboardInput {
  readonly title: string;
  readonly region: string;
  /** ALB dimension value (arn suffix), usually a reference resolved at apply time. */
  readonly loadBalancer: string;
  /** Target group dimension values by version. */
  readonly targetGroups: { readonly stable: string; readonly canary: string };
  /** Alarms shown in an alarm-status widget. */
  readonly alarmArns: string[];
  /** PromQL of queue depth per replica, for the AMP side; empty when the server exports none. */
  readonly queueDepthQuery: string;
  /** PromQL of GPU utilization, for the AMP side. */
  readonly gpuUtilizationQuery: string;
  /** AMP workspace holding the model metrics. */
  readonly prometheusWorkspaceArn: string;
}

/**
 * CloudWatch dashboard body of an endpoint: request rate, errors, and p50/p99 time to first byte of the
 * stable and canary target groups side by side, the alarms, and the PromQL of the model-server
 * metrics (queue depth, GPU utilization) that live in AMP rather than CloudWatch.
 */
export function endpointDashboardBody(d: DashboardInput): string {
  const tg = (version: "stable" | "canary") => ["LoadBalancer", d.loadBalancer, "TargetGroup", d.targetGroups[version]];
  const both = (metric: string, stat: string) => [
    [NS, metric, ...tg("stable"), { stat, label: `stable ${stat}` }],
    [NS, metric, ...tg("canary"), { stat, label: `canary ${stat}` }],
  ];
  const graph = (title: string, metrics: unknown[], x: number, y: number, extra: Record<string, unknown> = {}) => ({
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: d.region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
  });
  const widgets = [
    { type: "text", x: 0, y: 0, width: 24, height: 2, properties: { markdown: `# ${d.title}\nStable vs canary target groups of the internal ALB; a canary that crosses a line below is rolled back by Argo Rollouts.` } },
    graph("Requests per minute", both("RequestCount", "Sum"), 0, 2),
    graph("Target 5xx and connection errors", [...both("HTTPCode_Target_5XX_Count", "Sum"), ...both("TargetConnectionErrorCount", "Sum")], 12, 2),
    // TargetResponseTime ends at the target's first response byte: for a streamed completion that is the
    // time to first byte, not the request's latency, which the rollback checks read from the server's histograms in AMP.
    graph("Time to first byte at the ALB, p50 / p99 (s; streamed completions count their first byte)", [...both("TargetResponseTime", "p50"), ...both("TargetResponseTime", "p99")], 0, 8),
    graph("Healthy replicas", both("HealthyHostCount", "Minimum"), 12, 8),
    { type: "alarm", x: 0, y: 14, width: 12, height: 4, properties: { title: "Rollback alarms", alarms: d.alarmArns } },
    {
      type: "text",
      x: 12,
      y: 14,
      width: 12,
      height: 4,
      properties: {
        markdown: [
          "### Model-server metrics (Amazon Managed Prometheus)",
          `Workspace: \`${d.prometheusWorkspaceArn}\``,
          d.queueDepthQuery === ""
            ? "* Queue depth: none; this server exports no queue metric, so the endpoint runs a fixed number of replicas"
            : `* Queue depth, waiting requests per replica (what KEDA scales on): \`${d.queueDepthQuery}\``,
          `* GPU utilization (needs the NVIDIA DCGM exporter): \`${d.gpuUtilizationQuery}\``,
        ].join("\n"),
      },
    },
  ];
  return JSON.stringify({ widgets });
}

/** The dashboard of an endpoint: its load balancer's target groups, its alarms and its AMP queries. */
export function endpointDashboard(scope: Construct, e: ResolvedEndpoint, lb: EndpointLoadBalancer, alarms: Record<string, CloudwatchMetricAlarm>): CloudwatchDashboard {
  const c = e.connection;
  return new CloudwatchDashboard(scope, "dashboard", {
    dashboardName: e.names.alarmPrefix.slice(0, 255),
    dashboardBody: endpointDashboardBody({
      title: `${e.namespace}/${e.name} on ${c.clusterName} (${e.model.name})`,
      region: c.region,
      loadBalancer: lb.loadBalancer.arnSuffix,
      targetGroups: { stable: lb.targetGroups.stable.arnSuffix, canary: lb.targetGroups.canary.arnSuffix },
      alarmArns: Object.values(alarms).map((a) => a.arn),
      queueDepthQuery: renderQueueDepthQuery(e.container.queueDepthQuery, e.promSelector),
      gpuUtilizationQuery: `avg(DCGM_FI_DEV_GPU_UTIL{${e.promSelector.replace("secure_inference_io_endpoint", "exported_secure_inference_io_endpoint")}})`,
      prometheusWorkspaceArn: c.prometheusWorkspaceArn,
    }),
  });
}

/*
 * The CloudWatch alarms of an endpoint. Each rollback check of rollback-checks.ts, the same
 * definitions the Argo analysis renders, alarms on the canary and on the stable target group, so the
 * threshold that aborts a rollout also notifies the cluster's topic; plus the optional drift alarm.
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { DriftAlarm } from "../endpoint-props";
import type { EndpointLoadBalancer } from "./ingress";
import type { ResolvedEndpoint } from "./resolve-endpoint";
import { alarmMetricQueries, alarmPeriods, cloudWatchChecks } from "./rollback-checks";

/** The alarms by name suffix: "<version>-<check>" for each rollback check and version, and "drift". */
export function endpointAlarms(scope: Construct, e: ResolvedEndpoint, lb: EndpointLoadBalancer): Record<string, CloudwatchMetricAlarm> {
  const alarms: Record<string, CloudwatchMetricAlarm> = {};
  const topic = e.connection.alarmTopicArn;
  const prefix = e.names.alarmPrefix;
  for (const check of cloudWatchChecks(e.rollout)) {
    for (const [version, tg] of Object.entries(lb.targetGroups)) {
      const key = `${version}-${check.name}`;
      alarms[key] = new CloudwatchMetricAlarm(scope, `alarm-${key}`, {
        alarmName: `${prefix}-${key}`,
        alarmDescription: `${e.namespace}/${e.name} (${version}): ${check.description}. The same threshold aborts a canary rollout in Argo Rollouts.`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: check.threshold,
        evaluationPeriods: alarmPeriods(e.rollout),
        datapointsToAlarm: alarmPeriods(e.rollout),
        // No requests in a minute is not an error.
        treatMissingData: "notBreaching",
        metricQuery: alarmMetricQueries(check, { LoadBalancer: lb.loadBalancer.arnSuffix, TargetGroup: tg.arnSuffix }),
        alarmActions: [topic],
        okActions: [topic],
        tags: { "secure-inference/cluster": e.connection.clusterName, "secure-inference/endpoint": `${e.namespace}/${e.name}` },
      });
    }
  }
  if (e.driftAlarm) alarms.drift = driftAlarm(scope, e.driftAlarm, prefix, topic);
  return alarms;
}

function driftAlarm(scope: Construct, d: DriftAlarm, prefix: string, topicArn: string): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, "alarm-drift", {
    alarmName: `${prefix}-drift`,
    alarmDescription: `${d.namespace}/${d.metricName} left its expected band (${d.bandWidth ?? 2} standard deviations): the model's outputs may have drifted`,
    comparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold",
    evaluationPeriods: d.evaluationPeriods ?? 3,
    thresholdMetricId: "band",
    treatMissingData: "missing",
    metricQuery: [
      { id: "m", returnData: true, metric: { namespace: d.namespace, metricName: d.metricName, period: 300, stat: d.statistic ?? "Average", dimensions: d.dimensions } },
      { id: "band", expression: `ANOMALY_DETECTION_BAND(m, ${d.bandWidth ?? 2})`, label: `${d.metricName} (expected)`, returnData: true },
    ],
    alarmActions: [topicArn],
    okActions: [topicArn],
  });
}

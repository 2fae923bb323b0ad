/*
 * The alarms of an endpoint: each rollback check of rollback-checks.ts, the same definitions the Argo
 * analysis renders, alarms on the canary and on the stable version, so the series and threshold that
 * abort a rollout also notify the cluster's topic: CloudWatch alarms for the checks on ALB metrics, one
 * AMP rule groups namespace of alerting rules for the checks on the server's latency histograms (the
 * workspace's alert manager, ClusterMonitoring, sends them to the same topic); plus the optional drift alarm.
 *
 * The rule groups namespace lives here, in the serving stack beside the endpoint, because its rules
 * are the endpoint's; it refers only to the platform stack's workspace (an output), never to a
 * Kubernetes resource, so the stack's AWS part still plans on its own.
 */
import { createHash } from "crypto";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { PrometheusRuleGroupNamespace } from "@cdktf/provider-aws/lib/prometheus-rule-group-namespace";
import { ValidationError } from "../../errors";
import type { DriftAlarm } from "../endpoint-props";
import type { EndpointLoadBalancer } from "./ingress";
import type { ResolvedEndpoint } from "./resolve-endpoint";
import { alarmEvaluation, alarmMetricQueries, alertRule, counterAlertRule, rollbackCheckProblems, rollbackChecks, rulesFile } from "./rollback-checks";
import { latencyServerOf } from "./server-latency";

/** CreateRuleGroupsNamespace accepts names of 1 to 64 characters (AMP API reference). */
const RULE_NAMESPACE_MAX = 64;

/** The alarms by name suffix: "<version>-<check>" for each CloudWatch rollback check and version, and "drift". */
export function endpointAlarms(scope: Construct, e: ResolvedEndpoint, lb: EndpointLoadBalancer): Record<string, CloudwatchMetricAlarm> {
  const server = latencyServerOf(e.container);
  // The resolver should have refused these with the other props problems; this keeps an unmeasurable
  // condition from ever reaching a cluster as a check that cannot fail.
  const problems = rollbackCheckProblems(e.rollout, server);
  if (problems.length > 0) {
    scope.node.scope?.node.tryRemoveChild(scope.node.id);
    throw new ValidationError(scope.node.path, "CanaryModelEndpoint", problems);
  }
  const alarms: Record<string, CloudwatchMetricAlarm> = {};
  const topic = e.connection.alarmTopicArn;
  const prefix = e.names.alarmPrefix;
  const tags = { "secure-inference/cluster": e.connection.clusterName, "secure-inference/endpoint": `${e.namespace}/${e.name}` };
  const checks = rollbackChecks(e.rollout, server);
  for (const check of checks) {
    if (check.source !== "cloudwatch") continue;
    for (const [version, tg] of Object.entries(lb.targetGroups)) {
      const key = `${version}-${check.name}`;
      alarms[key] = new CloudwatchMetricAlarm(scope, `alarm-${key}`, {
        alarmName: `${prefix}-${key}`,
        alarmDescription: `${e.namespace}/${e.name} (${version}): ${check.description}. The same series and threshold abort a canary rollout in Argo Rollouts.`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: check.threshold,
        ...alarmEvaluation(e.rollout),
        metricQuery: alarmMetricQueries(check, { LoadBalancer: lb.loadBalancer.arnSuffix, TargetGroup: tg.arnSuffix }),
        alarmActions: [topic],
        okActions: [topic],
        tags,
      });
    }
  }
  const ruleLabels = { cluster: e.connection.clusterName, namespace: e.namespace, endpoint: e.name };
  const rules = checks.flatMap((check) =>
    check.source === "prometheus"
      ? [alertRule(check, e.rollout, e.promSelector, ruleLabels)]
      : check.source === "prometheus-counter"
        ? [counterAlertRule(check, e.rollout, e.promSelector, ruleLabels)]
        : [],
  );
  if (rules.length > 0) {
    new PrometheusRuleGroupNamespace(scope, "alert-rules", {
      name: ruleNamespaceName(prefix),
      // The workspace ARN ends in "workspace/<id>".
      workspaceId: Fn.element(Fn.split("/", e.connection.prometheusWorkspaceArn), 1),
      data: rulesFile(`${prefix}-rollback-checks`, rules),
      tags,
    });
  }
  if (e.driftAlarm) alarms.drift = driftAlarm(scope, e.driftAlarm, prefix, topic);
  return alarms;
}

/** The rule groups namespace name: the alarm prefix, shortened with a hash of it when longer than AMP allows. */
export function ruleNamespaceName(prefix: string): string {
  if (prefix.length <= RULE_NAMESPACE_MAX) return prefix;
  const hash = createHash("sha256").update(prefix).digest("hex").slice(0, 8);
  return `${prefix.slice(0, RULE_NAMESPACE_MAX - hash.length - 1)}-${hash}`;
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

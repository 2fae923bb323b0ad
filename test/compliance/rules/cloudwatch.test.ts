import { TerraformStack } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ClusterNetwork } from "../../../lib/cluster/cluster-network";
import { SecureInferenceCluster } from "../../../lib/cluster/secure-inference-cluster";
import { AlarmActionsEnabled, LogGroupEncrypted, LogGroupRetention } from "../../../lib/compliance/rules/cloudwatch";
import { AuditTrail } from "../../../lib/security/audit-trail";
import { EncryptionKey } from "../../../lib/security/encryption-key";
import { SecureBucket } from "../../../lib/security/secure-bucket";
import { evaluateRule } from "../rule-harness";

describe("LogGroupEncrypted", () => {
  const { byId } = evaluateRule(LogGroupEncrypted, (stack) => {
    const key = new KmsKey(stack, "key", { enableKeyRotation: true });
    new CloudwatchLogGroup(stack, "with-key", { name: "/app/with-key", kmsKeyId: key.arn, retentionInDays: 365 });
    new CloudwatchLogGroup(stack, "without-key", { name: "/app/without-key", retentionInDays: 365 });
  });

  it("passes a log group with kms_key_id (a Terraform reference counts)", () => expect(byId["with-key"].status).toBe("compliant"));

  it("flags a log group without kms_key_id and says to set it", () => {
    expect(byId["without-key"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("kms_key_id is not set") });
  });
});

describe("LogGroupRetention", () => {
  const { byId } = evaluateRule(LogGroupRetention, (stack) => {
    new CloudwatchLogGroup(stack, "one-year", { name: "/app/one-year", retentionInDays: 365 });
    new CloudwatchLogGroup(stack, "never-expires", { name: "/app/never", retentionInDays: 0 });
    new CloudwatchLogGroup(stack, "one-month", { name: "/app/one-month", retentionInDays: 30 });
    new CloudwatchLogGroup(stack, "unset", { name: "/app/unset" });
  });

  it("passes a year, and 0 (never expire)", () => {
    expect(byId["one-year"].status).toBe("compliant");
    expect(byId["never-expires"].status).toBe("compliant");
  });

  it("flags retention below the minimum, naming the value", () => {
    expect(byId["one-month"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("retention_in_days is 30") });
  });

  it("flags a log group without explicit retention", () => {
    expect(byId.unset).toMatchObject({ status: "non-compliant", message: expect.stringContaining("retention_in_days is not set") });
  });

  it("takes its minimum from params", () => {
    const { byId: strict } = evaluateRule(LogGroupRetention, (stack) => new CloudwatchLogGroup(stack, "one-year", { name: "/app/one-year", retentionInDays: 365 }), { minDays: 2192 });
    expect(strict["one-year"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("set retention_in_days to at least 2192") });
  });
});

describe("AlarmActionsEnabled", () => {
  const alarm = (stack: TerraformStack, id: string, overrides: Partial<CloudwatchMetricAlarmConfig>) =>
    new CloudwatchMetricAlarm(stack, id, {
      alarmName: id,
      namespace: "AWS/EKS",
      metricName: "node_cpu_utilization",
      statistic: "Average",
      period: 300,
      evaluationPeriods: 1,
      threshold: 90,
      comparisonOperator: "GreaterThanThreshold",
      ...overrides,
    });
  const topic = "arn:aws:sns:us-east-1:123456789012:alarms";

  const { byId } = evaluateRule(AlarmActionsEnabled, (stack) => {
    alarm(stack, "notifies", { alarmActions: [topic] });
    alarm(stack, "notifies-on-ok", { okActions: [topic] });
    alarm(stack, "silent", {});
    alarm(stack, "empty-lists", { alarmActions: [], okActions: [], insufficientDataActions: [] });
    alarm(stack, "disabled", { alarmActions: [topic], actionsEnabled: false });
  });

  it("passes an alarm with any action and actions enabled by default", () => {
    expect(byId.notifies.status).toBe("compliant");
    expect(byId["notifies-on-ok"].status).toBe("compliant");
  });

  it("flags an alarm without actions", () => {
    for (const id of ["silent", "empty-lists"]) {
      expect(byId[id]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("are all empty") });
    }
  });

  it("flags an alarm whose actions are disabled", () => {
    expect(byId.disabled).toMatchObject({ status: "non-compliant", message: expect.stringContaining("actions_enabled is false") });
  });
});

describe("log groups of AuditTrail and ClusterNetwork", () => {
  const build = (stack: TerraformStack) => {
    const accessLogBucket = new SecureBucket(stack, "access-logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    new AuditTrail(stack, "audit", { name: "ml-prod-audit", accessLogBucket });
    const logsKey = new EncryptionKey(stack, "logs", { purpose: "logs" });
    new ClusterNetwork(stack, "net", { name: "ml-prod", logsKey, availabilityZones: ["us-east-1a", "us-east-1b"] });
  };

  it.each([LogGroupEncrypted, LogGroupRetention].map((r) => [r.id, r] as const))("satisfy %s by default", (_id, rule) => {
    const { byAddress } = evaluateRule(rule, build);
    expect(Object.keys(byAddress)).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\.audit_log-group_/), expect.stringMatching(/^aws_cloudwatch_log_group\.net_flow-log-group_/)]);
    expect(Object.values(byAddress)).toEqual([{ status: "compliant" }, { status: "compliant" }]);
  });
});

describe("break-glass alarm of ClusterAccess", () => {
  it("satisfies AlarmActionsEnabled: it notifies the cluster's alarm topic", () => {
    const { byAddress } = evaluateRule(AlarmActionsEnabled, (stack) => {
      new SecureInferenceCluster(stack, "ml", {
        clusterName: "ml-prod",
        network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
        gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }],
        access: { breakGlass: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/security-officers"] } },
      });
    });
    const alarms = Object.entries(byAddress).filter(([address]) => address.includes("break-glass-alarm"));
    expect(alarms).toEqual([[expect.any(String), { status: "compliant" }]]);
  });
});

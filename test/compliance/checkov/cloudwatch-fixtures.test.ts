import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { AlarmActionsEnabled, LogGroupEncrypted, LogGroupRetention } from "../../../lib/compliance/rules/cloudwatch";
import { misses, verdicts } from "./checkov-harness";

/* checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/example_CloudWatch*\/main.tf */

describe("CKV_AWS_158 fixtures (LogGroupEncrypted)", () => {
  it("detects the failing group (1/1) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(LogGroupEncrypted, (s) => {
      new CloudwatchLogGroup(s, "pass", { retentionInDays: 1, kmsKeyId: "someKey" });
      new CloudwatchLogGroup(s, "fail", { retentionInDays: 1 });
    });
    expect(misses(v, ["fail"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_66 fixtures (LogGroupRetention)", () => {
  it("detects the failing group (1/1); flags the passing one (1/1), deliberately", () => {
    const v = verdicts(LogGroupRetention, (s) => {
      new CloudwatchLogGroup(s, "pass", { retentionInDays: 3 });
      new CloudwatchLogGroup(s, "fail", {});
    });
    // LogGroupRetention also claims CKV_AWS_338 and requires minDays (365) by default: a 3-day retention is "decided" for
    // CKV_AWS_66 but too short for the rule (its explanation: below a year loses PCI DSS 10.7 / NIST AU-11 history).
    expect(misses(v, ["fail"], ["pass"])).toEqual({ undetected: [], flagged: ["pass"] });
  });
});

describe("CKV_AWS_338 fixtures (LogGroupRetention)", () => {
  it("detects the failing group (1/1) and accepts the passing ones (0/2 flagged)", () => {
    const v = verdicts(LogGroupRetention, (s) => {
      new CloudwatchLogGroup(s, "pass_365", { retentionInDays: 365 });
      new CloudwatchLogGroup(s, "pass_0", { retentionInDays: 0 });
      new CloudwatchLogGroup(s, "fail", { retentionInDays: 5 });
      // checkov neither passes nor fails `unknown` (retention_in_days = var.retention); the rule cannot read an expression at synth and flags it.
      new CloudwatchLogGroup(s, "unknown", { retentionInDays: "${var.retention}" as unknown as number });
    });
    expect(misses(v, ["fail"], ["pass_365", "pass_0"])).toEqual({ undetected: [], flagged: [] });
    expect(v.unknown).toBe("non-compliant");
  });
});

describe("CKV_AWS_319 fixtures (AlarmActionsEnabled)", () => {
  // threshold = var.logstash_servers_count is written 1; references to the SNS topic and load balancer are literal strings.
  it("detects the failing alarm (1/1) and accepts the passing ones (0/2 flagged)", () => {
    const alarm = {
      alarmName: "alarmname", comparisonOperator: "LessThanThreshold", evaluationPeriods: 1, metricName: "HealthyHostCount",
      namespace: "AWS/NetworkELB", period: 60, statistic: "Average", threshold: 1, alarmDescription: "Number of healthy nodes in Target Group",
      alarmActions: ["arn:aws:sns:us-east-1:111122223333:sns"], okActions: ["arn:aws:sns:us-east-1:111122223333:sns"],
      dimensions: { TargetGroup: "targetgroup/lb-tg/0123", LoadBalancer: "net/lb/0123" },
    };
    const v = verdicts(AlarmActionsEnabled, (s) => {
      new CloudwatchMetricAlarm(s, "pass", alarm);
      new CloudwatchMetricAlarm(s, "pass2", { ...alarm, actionsEnabled: true });
      new CloudwatchMetricAlarm(s, "fail", { ...alarm, actionsEnabled: false });
    });
    expect(misses(v, ["fail"], ["pass", "pass2"])).toEqual({ undetected: [], flagged: [] });
  });
});

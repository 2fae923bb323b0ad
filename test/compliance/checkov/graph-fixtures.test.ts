import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { CloudTrailCloudWatchLogs } from "../../../lib/compliance/rules/cloudtrail";
import { ElastiCacheMultiAz } from "../../../lib/compliance/rules/elasticache";
import { VpcDefaultSecurityGroupClosed, VpcFlowLogsEnabled } from "../../../lib/compliance/rules/vpc";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f graph-check fixtures (tests/terraform/graph/checks/resources/<Check>/main.tf and
 * expected.yaml): VPCHasFlowLog (CKV2_AWS_11), VPCHasRestrictedSG (CKV2_AWS_12), CloudtrailHasCloudwatch (CKV2_AWS_10),
 * ElastiCacheRedisConfiguredAutomaticFailOver (CKV2_AWS_50).
 */

describe("CKV2_AWS_11 fixtures (VpcFlowLogsEnabled)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(VpcFlowLogsEnabled, (s) => {
      const ok = new Vpc(s, "ok_vpc", { cidrBlock: "10.0.0.0/16" });
      new Vpc(s, "not_ok_vpc", { cidrBlock: "10.0.0.0/16" });
      new FlowLog(s, "example", { iamRoleArn: "arn", logDestination: "log", trafficType: "ALL", vpcId: ok.id });
    });
  });

  it("detects the failing VPC (1/1) and flags no passing one (0/1)", () => {
    expect(misses(v, ["not_ok_vpc"], ["ok_vpc"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV2_AWS_12 fixtures (VpcDefaultSecurityGroupClosed)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(VpcDefaultSecurityGroupClosed, (s) => {
      const vpc = (id: string) => new Vpc(s, id, { cidrBlock: "10.0.0.0/16" });
      const ok = vpc("ok_vpc");
      vpc("not_ok_vpc");
      const v2 = vpc("not_ok_vpc_2");
      const v3 = vpc("not_ok_vpc_3");
      const v4 = vpc("not_ok_vpc_4");
      const v5 = vpc("not_ok_vpc_5");
      new DefaultSecurityGroup(s, "default", { vpcId: ok.id });
      new DefaultSecurityGroup(s, "default_2", {
        vpcId: v2.id,
        ingress: [{ protocol: "-1", selfAttribute: true, fromPort: 0, toPort: 0 }],
        egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
      });
      const d3 = new DefaultSecurityGroup(s, "default_3", { vpcId: v3.id });
      // The fixture's `type = "-1"` is refused by provider 5.100 (ingress or egress): written as "ingress".
      new SecurityGroupRule(s, "default_sg_rule", { fromPort: 0, protocol: "-1", toPort: 0, type: "ingress", securityGroupId: d3.id });
      const d4 = new DefaultSecurityGroup(s, "default_4", { vpcId: v4.id });
      const d5 = new DefaultSecurityGroup(s, "default_5", { vpcId: v5.id });
      new VpcSecurityGroupIngressRule(s, "pike_in", { securityGroupId: d4.id, cidrIpv4: "10.0.0.0/8", fromPort: 80, ipProtocol: "tcp", toPort: 8080 });
      new VpcSecurityGroupEgressRule(s, "pike_out", { securityGroupId: d5.id, cidrIpv4: "10.0.0.0/8", fromPort: 80, ipProtocol: "tcp", toPort: 8080 });
    });
  });

  it("detects every failing VPC (5/5): on the VPC when its default group is not managed, else on the group it adopts; flags no passing one (0/1)", () => {
    // checkov reports the VPC; the rule reports the default group where Terraform manages one (the group is what to fix).
    const detected = (vpcId: string, group?: string) => v[vpcId] === "non-compliant" || (group !== undefined && v[group] === "non-compliant");
    expect([detected("not_ok_vpc"), detected("not_ok_vpc_2", "default_2"), detected("not_ok_vpc_3", "default_3"), detected("not_ok_vpc_4", "default_4"), detected("not_ok_vpc_5", "default_5")])
      .toEqual([true, true, true, true, true]);
    expect([v.ok_vpc, v.default]).toEqual(["compliant", "compliant"]);
  });
});

describe("CKV2_AWS_10 fixtures (CloudTrailCloudWatchLogs)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(CloudTrailCloudWatchLogs, (s) => {
      const group = new CloudwatchLogGroup(s, "example", { name: "Example" });
      const trail = { name: "tf-trail-foobar", s3BucketName: "trail-bucket" };
      new Cloudtrail(s, "aws_cloudtrail_ok", { ...trail, cloudWatchLogsGroupArn: `${group.arn}:*` });
      new Cloudtrail(s, "aws_cloudtrail_not_ok", trail);
    });
  });

  it("detects the failing trail (1/1); flags the passing one (1/1), deliberately: it names a log group without cloud_watch_logs_role_arn, which CloudTrail refuses; `s3_bucket_name` (required by provider 5.100) added", () => {
    expect(misses(v, ["aws_cloudtrail_not_ok"], ["aws_cloudtrail_ok"])).toEqual({ undetected: [], flagged: ["aws_cloudtrail_ok"] });
  });
});

describe("CKV2_AWS_50 fixtures (ElastiCacheMultiAz)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(ElastiCacheMultiAz, (s) => {
      const group = {
        preferredCacheClusterAzs: ["us-west-2a", "us-west-2b"],
        replicationGroupId: "tf-rep-group-1",
        description: "example description",
        nodeType: "cache.m4.large",
        numCacheClusters: 2,
        parameterGroupName: "default.redis3.2",
        port: 6379,
      };
      new ElasticacheReplicationGroup(s, "pass", { ...group, automaticFailoverEnabled: true });
      new ElasticacheReplicationGroup(s, "fail_1", group);
      new ElasticacheReplicationGroup(s, "fail_2", { ...group, automaticFailoverEnabled: false });
    });
  });

  it("detects both failing groups (2/2); flags `pass` for its missing multi_az_enabled (1/1, deliberately stricter, as cdk-nag's AwsSolutions-AEC4)", () => {
    expect(misses(v, ["fail_1", "fail_2"], ["pass"])).toEqual({ undetected: [], flagged: ["pass"] });
  });
});

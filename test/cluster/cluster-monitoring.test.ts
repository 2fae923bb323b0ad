import { ClusterMonitoring } from "../../lib/cluster/cluster-monitoring";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

function monitoring(options: Partial<ConstructorParameters<typeof ClusterMonitoring>[2]> = {}) {
  const stack = awsStack();
  const key = new EncryptionKey(stack, "key", { purpose: "logs" });
  new ClusterMonitoring(stack, "mon", {
    clusterName: "ml-prod",
    clusterArn: "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod",
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupId: "sg-0123",
    key,
    alarmEmailAddresses: ["oncall@example.com"],
    alarmHttpsEndpoints: ["https://events.example.com/hook"],
    ...options,
  });
  return synth(stack);
}

describe("ClusterMonitoring", () => {
  const { raw, json } = monitoring();
  const topic = onlyResource(json, "aws_sns_topic");
  const topicPolicy = JSON.parse(onlyResource(json, "aws_sns_topic_policy").policy).Statement;
  const keyPolicy = JSON.parse(onlyResource(json, "aws_kms_key").policy).Statement;

  it("encrypts the alarm topic with the customer-managed key", () => {
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key\.key/);
  });

  it("lets only CloudWatch alarms of this account and its workspace's alert manager publish, and only over TLS", () => {
    expect(topicPolicy[0]).toMatchObject({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) }, ArnLike: { "aws:SourceArn": expect.stringMatching(/:cloudwatch:.*:alarm:\*$/) } } });
    expect(topicPolicy[1]).toMatchObject({
      Sid: "AmpAlertManagerOfThisWorkspacePublishes",
      Principal: { Service: "aps.amazonaws.com" },
      Action: ["sns:Publish", "sns:GetTopicAttributes"],
      Resource: expect.stringMatching(/aws_sns_topic\.mon_alarm-topic/),
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) }, ArnEquals: { "aws:SourceArn": expect.stringMatching(/^\$\{aws_prometheus_workspace\.mon_workspace_.*\.arn\}$/) } },
    });
    expect(topicPolicy[2]).toMatchObject({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("lets the alert manager of this account's workspaces use the topic's key", () => {
    expect(keyPolicy.find((s: { Sid: string }) => s.Sid === "AmpAlertManagerUsesTopicKey")).toMatchObject({
      Principal: { Service: "aps.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) }, ArnLike: { "aws:SourceArn": expect.stringMatching(/:aps:.*:workspace\/\*$/) } },
    });
  });

  it("routes every alert of the workspace's rules to the alarm topic with SigV4 in the topic's region", () => {
    const am = onlyResource(json, "aws_prometheus_alert_manager_definition");
    expect(am.workspace_id).toMatch(/^\$\{aws_prometheus_workspace\.mon_workspace_.*\.id\}$/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require("js-yaml") as { load(s: string): Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const config = yaml.load(yaml.load(am.definition).alertmanager_config);
    expect(config.route).toMatchObject({ receiver: "alarm-topic", group_by: ["alertname", "namespace", "endpoint", "check"] });
    expect(config.receivers).toEqual([
      {
        name: "alarm-topic",
        sns_configs: [{ topic_arn: expect.stringMatching(/^\$\{aws_sns_topic\.mon_alarm-topic_.*\.arn\}$/), sigv4: { region: expect.stringMatching(/data\.aws_region/) }, subject: expect.stringContaining("{{ .CommonLabels.alertname }}") }],
      },
    ]);
  });

  it("lets CloudWatch use the key to publish encrypted notifications", () => {
    expect(keyPolicy.find((s: { Sid: string }) => s.Sid === "CloudWatchAlarmsUseTopicKey")).toMatchObject({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"] });
  });

  it("subscribes the email and HTTPS endpoints", () => {
    expect(Object.values(resourcesOf(json, "aws_sns_topic_subscription")).map((s) => [s.protocol, s.endpoint])).toEqual([["email", "oncall@example.com"], ["https", "https://events.example.com/hook"]]);
  });

  it("encrypts the Prometheus workspace with the key", () => {
    expect(onlyResource(json, "aws_prometheus_workspace")).toMatchObject({ alias: "ml-prod", kms_key_arn: expect.stringMatching(/aws_kms_key\.key/) });
  });

  it("scrapes annotated pods of the cluster into the workspace, and maps the scraper to its Kubernetes user", () => {
    const scraper = onlyResource(json, "aws_prometheus_scraper");
    expect(scraper.source).toEqual([{ eks: [{ cluster_arn: "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod", subnet_ids: ["subnet-a", "subnet-b"], security_group_ids: ["sg-0123"] }] }]);
    expect(scraper.destination[0].amp[0].workspace_arn).toMatch(/aws_prometheus_workspace\./);
    expect(scraper.scrape_configuration).toContain("scrape_interval: 30s");
    expect(scraper.scrape_configuration).toContain("__meta_kubernetes_pod_annotation_prometheus_io_scrape");
    // AMP creates the scraper's access entry itself (API authentication mode); a second one would fail.
    expect(resourcesOf(json, "aws_eks_access_entry")).toEqual({});
  });

  it("writes into the encrypted workspace through a role configuration: source role for the scraper, target role that may only remote-write", () => {
    const scraper = onlyResource(json, "aws_prometheus_scraper");
    expect(scraper.role_configuration).toEqual([{ source_role_arn: expect.stringMatching(/aws_iam_role\.mon_scraper-source-role/), target_role_arn: expect.stringMatching(/aws_iam_role\.mon_scraper-target-role/) }]);
    const roles = resourcesOf(json, "aws_iam_role");
    const sourceTrust = JSON.parse(Object.entries(roles).find(([id]) => id.includes("scraper-source-role"))![1].assume_role_policy).Statement[0];
    expect(sourceTrust).toMatchObject({ Principal: { Service: "scraper.aps.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) }, ArnLike: { "aws:SourceArn": expect.stringMatching(/:aps:.*:scraper\/\*$/) } } });
    const targetTrust = JSON.parse(Object.entries(roles).find(([id]) => id.includes("scraper-target-role"))![1].assume_role_policy).Statement[0];
    expect(targetTrust.Principal.AWS).toMatch(/aws_iam_role\.mon_scraper-source-role/);
    const write = Object.values(resourcesOf(json, "aws_iam_policy")).map((p) => JSON.parse(p.policy).Statement).flat();
    expect(write).toContainEqual(expect.objectContaining({ Action: "aps:RemoteWrite", Resource: expect.stringMatching(/aws_prometheus_workspace\./) }));
    expect(scraper.depends_on).toHaveLength(2);
  });

  it("declares the tag the scraper puts on its workspace, so plans show no drift", () => {
    expect(onlyResource(json, "aws_prometheus_workspace").tags).toEqual({ AMPAgentlessScraper: "" });
  });

  it("rejects bad subscriptions and intervals all at once", () => {
    expect(() => monitoring({ alarmEmailAddresses: ["oncall"], alarmHttpsEndpoints: ["http://x"], scrapeIntervalSeconds: 15 })).toThrow(
      /test\/mon: invalid ClusterMonitoring props \(3 problems\)[\s\S]*alarmEmailAddresses: "oncall" is not an email address[\s\S]*alarmHttpsEndpoints: "http:\/\/x" must be an https:\/\/ URL[\s\S]*scrapeIntervalSeconds: 15 must be a whole number of seconds from 30/,
    );
  });

  it("matches the snapshot", () => expect(raw).toMatchSnapshot());
});

import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PrometheusAlertManagerDefinition } from "@cdktf/provider-aws/lib/prometheus-alert-manager-definition";
import { PrometheusScraper } from "@cdktf/provider-aws/lib/prometheus-scraper";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { awsContext } from "../private/aws-context";
import { roleNamePrefix, serviceRole } from "../security/private/iam";
import { Problems, show } from "../private/validation";
import { EncryptionKey } from "../security/encryption-key";
import { PolicyDocument } from "../security/policy-document";

/** Seconds between two scrapes of pod metrics when `scrapeIntervalSeconds` is not given. */
export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 30;

/** Settings of cluster alerting and metrics. */
export interface ClusterMonitoringOptions {
  /**
   * Email addresses subscribed to the alarm topic (each must confirm the subscription).
   * @default - none
   */
  readonly alarmEmailAddresses?: string[];
  /**
   * HTTPS endpoints subscribed to the alarm topic (e.g. an incident-management webhook).
   * @default - none
   */
  readonly alarmHttpsEndpoints?: string[];
  /**
   * How often the managed scraper collects pod metrics, in seconds (30..300; AMP scrapers scrape at most every 30 s).
   * @default 30
   */
  readonly scrapeIntervalSeconds?: number;
}

/** Props of a ClusterMonitoring. */
export interface ClusterMonitoringProps extends ClusterMonitoringOptions {
  /** Cluster name (literal). */
  readonly clusterName: string;
  /** Cluster ARN, the scraper's source. */
  readonly clusterArn: string;
  /** Subnets the scraper's network interfaces go into (the cluster's private subnets). */
  readonly subnetIds: string[];
  /** Security group that lets the scraper reach pods (the cluster security group). */
  readonly securityGroupId: string;
  /** Key for the topic and the workspace; granted to CloudWatch alarms by this construct. */
  readonly key: EncryptionKey;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * Where a cluster's alarms go and where its metrics live: an SNS topic encrypted with KMS
 * that only CloudWatch alarms of this account and the alert manager of the cluster's workspace may
 * publish to (over TLS), an Amazon Managed Prometheus workspace encrypted with KMS, an AMP managed
 * scraper that collects the metrics of pods annotated `prometheus.io/scrape: "true"` (vLLM, TGI and
 * Triton expose them natively), and the workspace's alert manager, which sends the alerts of the
 * AMP alerting rules (e.g. an endpoint's latency rollback checks) to the topic.
 */
export class ClusterMonitoring extends Construct {
  /** Validates options; one line per problem, each starting with `prefix`. */
  static validate(o: ClusterMonitoringOptions, prefix = ""): string[] {
    const p = new Problems();
    for (const e of o.alarmEmailAddresses ?? []) if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) p.add(`${prefix}alarmEmailAddresses`, `${show(e)} is not an email address`);
    for (const u of o.alarmHttpsEndpoints ?? []) if (!/^https:\/\/[^\s]+$/.test(u)) p.add(`${prefix}alarmHttpsEndpoints`, `${show(u)} must be an https:// URL (alarms may carry sensitive context; no plain HTTP)`);
    const i = o.scrapeIntervalSeconds;
    if (i !== undefined && (!Number.isInteger(i) || i < 30 || i > 300)) p.add(`${prefix}scrapeIntervalSeconds`, `${i} must be a whole number of seconds from 30 (the AMP scraper minimum) to 300`);
    return [...p.list];
  }

  /** The alarm topic. */
  public readonly alarmTopic: SnsTopic;
  /** Its ARN, for alarm actions. */
  public readonly alarmTopicArn: string;
  /** The AMP workspace. */
  public readonly workspace: PrometheusWorkspace;
  /** Its ARN (KEDA and Argo Rollouts query it). */
  public readonly workspaceArn: string;
  /** Its Prometheus endpoint URL (ends with "/"). */
  public readonly prometheusEndpoint: string;
  /** The managed scraper. */
  public readonly scraper: PrometheusScraper;
  /** Seconds between two scrapes (what the rollback checks read from AMP size their windows by). */
  public readonly scrapeIntervalSeconds: number;
  /** The workspace's alert manager: every alert of the workspace's rules goes to the alarm topic. */
  public readonly alertManager: PrometheusAlertManagerDefinition;

  constructor(scope: Construct, id: string, props: ClusterMonitoringProps) {
    super(scope, id);
    const p = new Problems();
    p.addAll(ClusterMonitoring.validate(props));
    p.throwIfAny(this, "ClusterMonitoring");

    const ctx = awsContext(this);
    const tags = props.tags ?? {};
    const name = props.clusterName;

    // CloudWatch alarms encrypt their notifications with the topic's key (AWS-documented statement).
    props.key.grantService("CloudWatchAlarmsUseTopicKey", "cloudwatch.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"]);
    // So does AMP's alert manager (AMP user guide, AMP-alertmanager-receiver-AMPpermission: "If your
    // Amazon SNS topic is SSE enabled ... kms:GenerateDataKey* and kms:Decrypt"), scoped to this
    // account's workspaces; an ARN pattern, as the workspace itself is encrypted with this key.
    props.key.grantService("AmpAlertManagerUsesTopicKey", "aps.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"], {
      StringEquals: { "aws:SourceAccount": ctx.accountId },
      ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:aps:${ctx.region}:${ctx.accountId}:workspace/*` },
    });
    this.alarmTopic = new SnsTopic(this, "alarm-topic", {
      name: `${name}-alarms`,
      displayName: `Alarms of EKS cluster ${name}`,
      kmsMasterKeyId: props.key.keyArn,
      tags,
    });
    this.alarmTopicArn = this.alarmTopic.arn;
    (props.alarmEmailAddresses ?? []).forEach((email, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.alarmTopic.arn, protocol: "email", endpoint: email }));
    (props.alarmHttpsEndpoints ?? []).forEach((url, i) => new SnsTopicSubscription(this, `https-${i}`, { topicArn: this.alarmTopic.arn, protocol: "https", endpoint: url }));

    // The scraper tags its destination workspace; declaring the tag keeps plans free of drift.
    this.workspace = new PrometheusWorkspace(this, "workspace", { alias: name, kmsKeyArn: props.key.keyArn, tags: { ...tags, AMPAgentlessScraper: "" } });
    this.workspaceArn = this.workspace.arn;
    this.prometheusEndpoint = this.workspace.prometheusEndpoint;
    new SnsTopicPolicy(this, "alarm-topic-policy", {
      arn: this.alarmTopic.arn,
      policy: new PolicyDocument([
        {
          sid: "CloudWatchAlarmsOfThisAccountPublish",
          actions: ["sns:Publish"],
          resources: [this.alarmTopic.arn],
          principals: { Service: ["cloudwatch.amazonaws.com"] },
          conditions: {
            StringEquals: { "aws:SourceAccount": ctx.accountId },
            ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*` },
          },
        },
        {
          // AMP user guide, AMP-alertmanager-receiver-AMPpermission: sns:Publish and sns:GetTopicAttributes,
          // with aws:SourceArn (the workspace) and aws:SourceAccount against the confused deputy.
          sid: "AmpAlertManagerOfThisWorkspacePublishes",
          actions: ["sns:Publish", "sns:GetTopicAttributes"],
          resources: [this.alarmTopic.arn],
          principals: { Service: ["aps.amazonaws.com"] },
          conditions: {
            StringEquals: { "aws:SourceAccount": ctx.accountId },
            ArnEquals: { "aws:SourceArn": this.workspace.arn },
          },
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["sns:Publish"],
          resources: [this.alarmTopic.arn],
          principals: { AWS: ["*"] },
          conditions: { Bool: { "aws:SecureTransport": false } },
        },
      ]).toJson(),
    });
    this.scrapeIntervalSeconds = props.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS;
    this.alertManager = new PrometheusAlertManagerDefinition(this, "alert-manager", {
      workspaceId: this.workspace.id,
      definition: alertManagerDefinition(this.alarmTopic.arn, ctx.region),
    });

    // A workspace encrypted with a customer-managed key receives scraped metrics only through a role
    // configuration: the scraper assumes the source role, which assumes the target role that may write.
    const source = serviceRole(this, "scraper-source-role", {
      namePrefix: roleNamePrefix(name, "scraper-src"),
      service: "scraper.aps.amazonaws.com",
      description: `AMP scraper of ${name}: assumes the writer role of its workspace`,
      conditions: {
        StringEquals: { "aws:SourceAccount": ctx.accountId },
        ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:aps:${ctx.region}:${ctx.accountId}:scraper/*` },
      },
      tags,
    });
    const target = new IamRole(this, "scraper-target-role", {
      namePrefix: roleNamePrefix(name, "scraper-dst"),
      description: `Writes scraped metrics of ${name} into its encrypted AMP workspace`,
      assumeRolePolicy: new PolicyDocument([{ sid: "ScraperSourceRoleAssumes", actions: ["sts:AssumeRole"], principals: { AWS: [source.role.arn] } }]).toJson(),
      tags,
    });
    const write = new IamPolicy(this, "scraper-target-policy", {
      namePrefix: roleNamePrefix(name, "scraper-dst"),
      description: `Remote-write into the AMP workspace of ${name} only`,
      policy: new PolicyDocument([
        { sid: "RemoteWrite", actions: ["aps:RemoteWrite"], resources: [this.workspace.arn] },
        { sid: "UseWorkspaceKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.key.keyArn] },
      ]).toJson(),
      tags,
    });
    const writeAttachment = new IamRolePolicyAttachment(this, "scraper-target-write", { role: target.name, policyArn: write.arn });
    const assume = new IamPolicy(this, "scraper-source-policy", {
      namePrefix: roleNamePrefix(name, "scraper-src"),
      description: `Assume the writer role of the AMP workspace of ${name} only`,
      policy: new PolicyDocument([{ sid: "AssumeWriterRole", actions: ["sts:AssumeRole"], resources: [target.arn] }]).toJson(),
      tags,
    });
    const assumeAttachment = new IamRolePolicyAttachment(this, "scraper-source-assume", { role: source.role.name, policyArn: assume.arn });

    // EKS access: AMP creates the scraper's access entry itself in clusters with API authentication.
    this.scraper = new PrometheusScraper(this, "scraper", {
      alias: name,
      scrapeConfiguration: scrapeConfiguration(this.scrapeIntervalSeconds),
      source: [{ eks: [{ clusterArn: props.clusterArn, subnetIds: props.subnetIds, securityGroupIds: [props.securityGroupId] }] }],
      destination: [{ amp: [{ workspaceArn: this.workspace.arn }] }],
      roleConfiguration: [{ sourceRoleArn: source.role.arn, targetRoleArn: target.arn }],
      tags,
      dependsOn: [writeAttachment, assumeAttachment],
    });
  }
}

/**
 * The alert manager configuration: one route, to the alarm topic. AMP allows only SNS receivers, and
 * SigV4 settings must name the region (AMP user guide, AMP-alertmanager-receiver-config); subjects
 * beyond 100 characters are truncated (AMP-alertmanager-receiver-validation-truncation).
 */
function alertManagerDefinition(topicArn: string, region: string): string {
  return [
    "alertmanager_config: |",
    "  route:",
    "    receiver: alarm-topic",
    "    group_by: [alertname, namespace, endpoint, check]",
    "    group_wait: 30s",
    "    group_interval: 5m",
    "    repeat_interval: 4h",
    "  receivers:",
    "    - name: alarm-topic",
    "      sns_configs:",
    `        - topic_arn: ${topicArn}`,
    "          sigv4:",
    `            region: ${region}`,
    "          subject: '{{ .Status | toUpper }}: {{ .CommonLabels.alertname }} {{ .CommonLabels.namespace }}/{{ .CommonLabels.endpoint }}'",
    "",
  ].join("\n");
}

/** Prometheus scrape configuration: every pod that opts in with the prometheus.io annotations. */
function scrapeConfiguration(intervalSeconds: number): string {
  return [
    "global:",
    `  scrape_interval: ${intervalSeconds}s`,
    `  scrape_timeout: ${Math.min(10, intervalSeconds)}s`,
    "scrape_configs:",
    "  - job_name: annotated-pods",
    "    kubernetes_sd_configs:",
    "      - role: pod",
    "    relabel_configs:",
    "      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]",
    "        action: keep",
    '        regex: "true"',
    "      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]",
    "        action: replace",
    "        target_label: __metrics_path__",
    "        regex: (.+)",
    "      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]",
    "        action: replace",
    "        regex: ([^:]+)(?::\\d+)?;(\\d+)",
    "        replacement: $1:$2",
    "        target_label: __address__",
    "      - source_labels: [__meta_kubernetes_namespace]",
    "        target_label: namespace",
    "      - source_labels: [__meta_kubernetes_pod_name]",
    "        target_label: pod",
    "      - action: labelmap",
    "        regex: __meta_kubernetes_pod_label_(.+)",
    "",
  ].join("\n");
}

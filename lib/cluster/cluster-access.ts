import { Construct } from "constructs";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { awsContext } from "../private/aws-context";
import { roleNamePrefix } from "../security/private/iam";
import { Problems, isDnsLabel, isLiteral, isOpenToWorld, parseCidr, show } from "../private/validation";
import { HumanTrust, MFA_MAX_AGE_RANGE, humanTrustStatement } from "../security/human-role-trust";
import { PolicyDocument } from "../security/policy-document";
import type { ClusterAccessPolicy, ClusterAccessTarget } from "./access-entry";

/** Who may assume one human role. */
export type HumanRoleOptions = HumanTrust;

/** Operators edit workloads in their namespaces only. */
export interface OperatorRoleOptions extends HumanRoleOptions {
  /** Namespaces the operators may edit (EKS Edit policy scoped to them). */
  readonly namespaces: string[];
}

/** An emergency cluster-admin role, off unless declared; every use raises an alarm. */
export interface BreakGlassOptions extends HumanRoleOptions {
  /**
   * Longest MFA age for break-glass, in seconds (900..43200).
   * @default 900
   */
  readonly mfaMaxAgeSeconds?: number;
}

/**
 * MFA-gated human access to a cluster. The trust policies require `aws:MultiFactorAuthPresent`, which
 * sessions carry when an IAM user signed in with MFA (or a role session obtained with MFA). Sessions of
 * IAM Identity Center or SAML federation do not carry it: trust principals whose sessions do, or grant
 * Identity Center permission sets with SecureInferenceCluster.grantAccess instead.
 */
export interface ClusterAccessOptions {
  /**
   * Cluster administrators (EKS AmazonEKSClusterAdminPolicy).
   * @default - no admin role
   */
  readonly admins?: HumanRoleOptions;
  /**
   * Operators (EKS AmazonEKSEditPolicy in the listed namespaces).
   * @default - no operator role
   */
  readonly operators?: OperatorRoleOptions;
  /**
   * Read-only viewers (EKS AmazonEKSViewPolicy, cluster-wide).
   * @default - no viewer role
   */
  readonly viewers?: HumanRoleOptions;
  /**
   * Break-glass administrators; off by default. Each assumption is counted from the audit trail and alarms.
   * @default - no break-glass role
   */
  readonly breakGlass?: BreakGlassOptions;
  /**
   * Longest time since MFA sign-in for the admin, operator and viewer roles, in seconds (900..43200).
   * @default 3600
   */
  readonly mfaMaxAgeSeconds?: number;
  /**
   * Only requests from these CIDRs may assume the roles (aws:SourceIp), e.g. the corporate VPN egress.
   * @default - any network
   */
  readonly allowedSourceCidrs?: string[];
  /**
   * Only requests through these VPC endpoints may assume the roles (aws:SourceVpce).
   * @default - any network
   */
  readonly allowedSourceVpceIds?: string[];
  /**
   * Longest session of the roles, in seconds (900..43200).
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
}

/** Props of a ClusterAccess. */
export interface ClusterAccessProps extends ClusterAccessOptions {
  /** The cluster the roles are mapped into. */
  readonly cluster: ClusterAccessTarget;
  /**
   * CloudTrail log group to count break-glass use in (required when breakGlass is set).
   * @default - none
   */
  readonly auditLogGroupName?: string;
  /**
   * SNS topic that break-glass alarms notify (required when breakGlass is set).
   * @default - none
   */
  readonly alarmTopicArn?: string;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

type RoleKind = "admins" | "operators" | "viewers" | "breakGlass";
const ROLE_POLICY: Record<RoleKind, ClusterAccessPolicy> = { admins: "ClusterAdmin", operators: "Edit", viewers: "View", breakGlass: "ClusterAdmin" };

/**
 * IAM roles for the people who operate a cluster — administrators, namespace operators, viewers
 * and an optional break-glass role — each assumable only by the listed accounts or principals,
 * only with recent MFA, optionally only from listed networks, and mapped into Kubernetes through
 * EKS access entries. The roles may read the cluster's description (for kubeconfig) and nothing else in AWS.
 */
export class ClusterAccess extends Construct {
  /** Validates the options; one line per problem, each starting with `prefix`. */
  static validate(o: ClusterAccessOptions, prefix = ""): string[] {
    const p = new Problems();
    const checkAge = (prop: string, v: number | undefined) => {
      if (v !== undefined && (!Number.isInteger(v) || v < MFA_MAX_AGE_RANGE.min || v > MFA_MAX_AGE_RANGE.max)) {
        p.add(`${prefix}${prop}`, `${v} must be a whole number of seconds from ${MFA_MAX_AGE_RANGE.min} to ${MFA_MAX_AGE_RANGE.max}`);
      }
    };
    checkAge("mfaMaxAgeSeconds", o.mfaMaxAgeSeconds);
    checkAge("breakGlass.mfaMaxAgeSeconds", o.breakGlass?.mfaMaxAgeSeconds);
    const session = o.maxSessionDurationSeconds;
    if (session !== undefined && (!Number.isInteger(session) || session < 900 || session > 43200)) p.add(`${prefix}maxSessionDurationSeconds`, `${session} must be 900 to 43200 seconds`);
    const owners = new Map<string, RoleKind>();
    for (const kind of ["admins", "operators", "viewers", "breakGlass"] as RoleKind[]) {
      const role = o[kind];
      if (!role) continue;
      const accounts = role.trustedAccountIds ?? [];
      const principals = role.trustedPrincipalArns ?? [];
      if (accounts.length + principals.length === 0) p.add(`${prefix}${kind}`, "trusts nobody; list trustedAccountIds or trustedPrincipalArns, or remove the role");
      for (const a of accounts) if (isLiteral(a) && !/^\d{12}$/.test(a)) p.add(`${prefix}${kind}.trustedAccountIds`, `${show(a)} is not a 12-digit AWS account id`);
      for (const arn of principals) {
        if (!isLiteral(arn)) continue;
        if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(arn)) p.add(`${prefix}${kind}.trustedPrincipalArns`, `${show(arn)} is not an IAM role or user ARN; use e.g. "arn:aws:iam::123456789012:role/sso-admins" (use trustedAccountIds for a whole account)`);
        // One person, one level of access: a principal in two roles makes the weaker one meaningless.
        const other = owners.get(arn);
        if (other && other !== kind && !(kind === "breakGlass" || other === "breakGlass")) {
          p.add(`${prefix}${kind}.trustedPrincipalArns`, `${show(arn)} is also trusted by ${other}; give each principal one role (${ROLE_POLICY[other]} or ${ROLE_POLICY[kind]})`);
        } else owners.set(arn, kind);
      }
    }
    if (o.operators) {
      const ns = o.operators.namespaces ?? [];
      if (ns.length === 0) p.add(`${prefix}operators.namespaces`, "is empty; list the namespaces operators may edit");
      for (const n of ns) if (!isDnsLabel(n)) p.add(`${prefix}operators.namespaces`, `${show(n)} is not a namespace name (DNS label)`);
    }
    if (o.allowedSourceCidrs?.length && o.allowedSourceVpceIds?.length) {
      p.add(`${prefix}allowedSourceCidrs`, "give either allowedSourceCidrs or allowedSourceVpceIds: a request through a VPC endpoint carries no public source IP, so both together admit nobody");
    }
    for (const c of o.allowedSourceCidrs ?? []) {
      if (!parseCidr(c)) p.add(`${prefix}allowedSourceCidrs`, `${show(c)} is not an IPv4 CIDR`);
      else if (isOpenToWorld(c)) p.add(`${prefix}allowedSourceCidrs`, `${show(c)} admits every address; list your networks or omit allowedSourceCidrs`);
    }
    for (const v of o.allowedSourceVpceIds ?? []) if (isLiteral(v) && !/^vpce-[0-9a-f]{8,17}$/.test(v)) p.add(`${prefix}allowedSourceVpceIds`, `${show(v)} is not a VPC endpoint id (vpce-...)`);
    return [...p.list];
  }

  /** Cluster administrators' role. */
  public readonly adminRole?: IamRole;
  /** Operators' role. */
  public readonly operatorRole?: IamRole;
  /** Viewers' role. */
  public readonly viewerRole?: IamRole;
  /** Break-glass role. */
  public readonly breakGlassRole?: IamRole;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const p = new Problems();
    p.addAll(ClusterAccess.validate(props));
    if (props.breakGlass && (!props.auditLogGroupName || !props.alarmTopicArn)) {
      p.add("breakGlass", "needs auditLogGroupName and alarmTopicArn so that every use raises an alarm (SecureInferenceCluster passes its audit trail and alarm topic)");
    }
    p.throwIfAny(this, "ClusterAccess");

    const ctx = awsContext(this);
    const cluster = props.cluster;
    const name = cluster.clusterName;
    const tags = props.tags ?? {};
    // Enough AWS permission for `aws eks update-kubeconfig`; Kubernetes permissions come from the access entry.
    const describe = new IamPolicy(this, "describe-cluster", {
      namePrefix: roleNamePrefix(name, "describe"),
      description: `Read the description of EKS cluster ${name} (for kubeconfig)`,
      policy: new PolicyDocument([
        { sid: "DescribeCluster", actions: ["eks:DescribeCluster", "eks:ListAccessEntries", "eks:ListAssociatedAccessPolicies"], resources: [cluster.clusterArn] },
        { sid: "ListClusters", actions: ["eks:ListClusters"], resources: ["*"] },
      ]).toJson(),
      tags,
    });

    const makeRole = (kind: RoleKind, trust: HumanRoleOptions, mfaMaxAgeSeconds: number, namespaces?: string[]): IamRole => {
      const purpose = kind === "breakGlass" ? "breakglass" : kind;
      const role = new IamRole(this, `${kind}-role`, {
        namePrefix: roleNamePrefix(name, purpose),
        description: `${kind} of EKS cluster ${name} (MFA required, ${ROLE_POLICY[kind]})`,
        maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
        assumeRolePolicy: new PolicyDocument([
          humanTrustStatement("HumansWithMfaAssumeRole", ctx.partition, trust, { mfaMaxAgeSeconds, sourceCidrs: props.allowedSourceCidrs, sourceVpceIds: props.allowedSourceVpceIds }),
        ]).toJson(),
        tags: { ...tags, "secure-inference/access": kind },
      });
      new IamRolePolicyAttachment(this, `${kind}-describe`, { role: role.name, policyArn: describe.arn });
      cluster.grantAccess(kind, { principalArn: role.arn, policy: ROLE_POLICY[kind], namespaces });
      return role;
    };
    const age = props.mfaMaxAgeSeconds ?? 3600;
    if (props.admins) this.adminRole = makeRole("admins", props.admins, age);
    if (props.operators) this.operatorRole = makeRole("operators", props.operators, age, props.operators.namespaces);
    if (props.viewers) this.viewerRole = makeRole("viewers", props.viewers, age);
    if (props.breakGlass) {
      this.breakGlassRole = makeRole("breakGlass", props.breakGlass, props.breakGlass.mfaMaxAgeSeconds ?? 900);
      // Every assumption of the break-glass role is a CloudTrail AssumeRole event naming it.
      const namespace = "SecureInference/Access";
      const metricName = `${name}-break-glass-assumed`;
      new CloudwatchLogMetricFilter(this, "break-glass-filter", {
        name: metricName,
        logGroupName: props.auditLogGroupName!,
        // The assumption itself, and any call made with a break-glass session however it was obtained (e.g. console role switching).
        pattern: `{ (($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "${this.breakGlassRole.arn}")) || ($.userIdentity.sessionContext.sessionIssuer.arn = "${this.breakGlassRole.arn}") }`,
        metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0" },
      });
      new CloudwatchMetricAlarm(this, "break-glass-alarm", {
        alarmName: metricName,
        alarmDescription: `The break-glass role of EKS cluster ${name} was assumed`,
        namespace,
        metricName,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        actionsEnabled: true,
        alarmActions: [props.alarmTopicArn!],
        tags,
      });
    }
  }
}

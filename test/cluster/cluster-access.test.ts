import { ClusterAccess, ClusterAccessOptions } from "../../lib/cluster/cluster-access";
import { SecureInferenceCluster, SecureInferenceClusterProps } from "../../lib/cluster/secure-inference-cluster";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

const base: SecureInferenceClusterProps = {
  clusterName: "ml-prod",
  network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
  gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }],
};

const access: ClusterAccessOptions = {
  admins: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/platform-admins"] },
  operators: { trustedAccountIds: ["123456789012"], namespaces: ["models", "router"] },
  viewers: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ml-engineers"] },
  breakGlass: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/security-officers"] },
  allowedSourceCidrs: ["198.51.100.0/24"],
};

function problemsOf(options: ClusterAccessOptions): string {
  try {
    new SecureInferenceCluster(awsStack(), "ml", { ...base, access: options });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a ValidationError");
}

describe("ClusterAccess", () => {
  const stack = awsStack();
  const cluster = new SecureInferenceCluster(stack, "ml", { ...base, access });
  const { json } = synth(stack);
  const humanRoles = Object.values(resourcesOf(json, "aws_iam_role")).filter((r) => r.tags?.["secure-inference/access"]);
  const trustOf = (kind: string) => JSON.parse(humanRoles.find((r) => r.tags["secure-inference/access"] === kind).assume_role_policy).Statement;

  it("creates one role per declared kind", () => {
    expect(humanRoles.map((r) => r.tags["secure-inference/access"]).sort()).toEqual(["admins", "breakGlass", "operators", "viewers"]);
    expect(cluster.access?.adminRole).toBeDefined();
  });

  it("requires MFA (present, at most an hour old; 15 minutes for break-glass) in every human role's trust policy", () => {
    for (const role of humanRoles) {
      const statements = JSON.parse(role.assume_role_policy).Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0].Effect).toBe("Allow");
      expect(statements[0].Condition.Bool).toEqual({ "aws:MultiFactorAuthPresent": "true" });
      const maxAge = role.tags["secure-inference/access"] === "breakGlass" ? "900" : "3600";
      expect(statements[0].Condition.NumericLessThan).toEqual({ "aws:MultiFactorAuthAge": maxAge });
    }
  });

  it("admits only the listed principals or accounts, and only from the listed networks", () => {
    expect(trustOf("admins")[0].Principal).toEqual({ AWS: "arn:aws:iam::123456789012:role/platform-admins" });
    expect(trustOf("operators")[0].Principal.AWS).toMatch(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::123456789012:root$/);
    expect(trustOf("viewers")[0].Principal).toEqual({ AWS: "arn:aws:iam::123456789012:role/ml-engineers" });
    for (const role of humanRoles) {
      const [statement] = JSON.parse(role.assume_role_policy).Statement;
      expect(statement.Principal.AWS).not.toContain("*");
      expect(statement.Condition.IpAddress).toEqual({ "aws:SourceIp": ["198.51.100.0/24"] });
    }
  });

  it("maps admins to cluster admin, operators to Edit in their namespaces and viewers to View", () => {
    const associations = Object.values(resourcesOf(json, "aws_eks_access_policy_association"));
    const byPolicy = (name: string) => associations.filter((a) => a.policy_arn.endsWith(`/${name}`));
    expect(byPolicy("AmazonEKSClusterAdminPolicy")).toHaveLength(2); // admins and break-glass
    expect(byPolicy("AmazonEKSEditPolicy")).toEqual([expect.objectContaining({ access_scope: { type: "namespace", namespaces: ["models", "router"] } })]);
    expect(byPolicy("AmazonEKSViewPolicy")).toEqual([expect.objectContaining({ access_scope: { type: "cluster" } })]);
  });

  it("gives the human roles only the AWS permissions kubeconfig needs", () => {
    const policy = Object.values(resourcesOf(json, "aws_iam_policy")).find((p) => /kubeconfig/.test(p.description));
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements.flatMap((s: { Action: string | string[] }) => [s.Action].flat()).sort()).toEqual(["eks:DescribeCluster", "eks:ListAccessEntries", "eks:ListAssociatedAccessPolicies", "eks:ListClusters"]);
  });

  it("alarms on every use of the break-glass role, from the audit trail", () => {
    const filter = onlyResource(json, "aws_cloudwatch_log_metric_filter");
    // A reference to the trail's log group, so the filter is created after the group exists.
    expect(filter.log_group_name).toMatch(/^\$\{aws_cloudwatch_log_group\.ml_audit-trail_log-group_\w+\.name\}$/);
    const role = "\\$\\{aws_iam_role\\.ml_access_breakGlass-role_\\w+\\.arn\\}";
    expect(filter.pattern).toMatch(new RegExp(`\\(\\$\\.eventName = "AssumeRole"\\) && \\(\\$\\.requestParameters\\.roleArn = "${role}"\\)`));
    expect(filter.pattern).toMatch(new RegExp(`\\|\\| \\(\\$\\.userIdentity\\.sessionContext\\.sessionIssuer\\.arn = "${role}"\\)`));
    const alarm = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).find((a) => /break-glass/.test(a.alarm_name));
    expect(alarm).toMatchObject({ threshold: 1, comparison_operator: "GreaterThanOrEqualToThreshold", actions_enabled: true, alarm_actions: [expect.stringMatching(/aws_sns_topic\./)] });
  });
});

describe("ClusterAccess rejects bad input at synth time", () => {
  it("reports empty trust, an MFA age out of range and a principal given both admin and view, all at once", () => {
    const message = problemsOf({
      admins: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/alice"] },
      viewers: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/alice"] },
      operators: { namespaces: ["models"] },
      mfaMaxAgeSeconds: 60,
    });
    expect(message).toMatch(/^test\/ml: invalid SecureInferenceCluster props \(3 problems\)/);
    expect(message).toMatch(/- access\.mfaMaxAgeSeconds: 60 must be a whole number of seconds from 900 to 43200/);
    expect(message).toMatch(/- access\.operators: trusts nobody; list trustedAccountIds or trustedPrincipalArns, or remove the role/);
    expect(message).toMatch(/- access\.viewers\.trustedPrincipalArns: "arn:aws:iam::123456789012:role\/alice" is also trusted by admins; give each principal one role \(ClusterAdmin or View\)/);
  });

  it.each<[string, ClusterAccessOptions, RegExp]>([
    ["an MFA age above 12 hours", { admins: { trustedAccountIds: ["123456789012"] }, mfaMaxAgeSeconds: 86400 }, /access\.mfaMaxAgeSeconds: 86400 must be/],
    ["a break-glass MFA age out of range", { breakGlass: { trustedAccountIds: ["123456789012"], mfaMaxAgeSeconds: 10 } }, /access\.breakGlass\.mfaMaxAgeSeconds: 10 must be/],
    ["a malformed account id", { admins: { trustedAccountIds: ["12345"] } }, /access\.admins\.trustedAccountIds: "12345" is not a 12-digit AWS account id/],
    ["a wildcard principal", { admins: { trustedPrincipalArns: ["*"] } }, /access\.admins\.trustedPrincipalArns: "\*" is not an IAM role or user ARN/],
    ["operators without namespaces", { operators: { trustedAccountIds: ["123456789012"], namespaces: [] } }, /access\.operators\.namespaces: is empty/],
    ["source CIDRs and VPC endpoints together", { admins: { trustedAccountIds: ["123456789012"] }, allowedSourceCidrs: ["198.51.100.0/24"], allowedSourceVpceIds: ["vpce-0123456789abcdef0"] }, /access\.allowedSourceCidrs: give either allowedSourceCidrs or allowedSourceVpceIds/],
    ["a world-open source CIDR", { admins: { trustedAccountIds: ["123456789012"] }, allowedSourceCidrs: ["0.0.0.0/0"] }, /access\.allowedSourceCidrs: "0\.0\.0\.0\/0" admits every address/],
  ])("rejects %s", (_name, options, expected) => {
    expect(problemsOf(options)).toMatch(expected);
  });

  it("refuses break-glass without an audit trail and alarm topic to watch it", () => {
    expect(() => new ClusterAccess(awsStack(), "access", { cluster: {} as never, breakGlass: { trustedAccountIds: ["123456789012"] } })).toThrow(/breakGlass: needs auditLogGroupName and alarmTopicArn/);
  });
});

import { TerraformVariable } from "cdktf";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import {
  AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION,
  ControllerName,
  ControllerRoles,
  ControllerRolesProps,
  DEFAULT_CONTROLLER_SERVICE_ACCOUNTS,
} from "../../lib/cluster/controller-roles";
import { ValidationError } from "../../lib/errors";
import { awsStack, resourcesOf, synth } from "../util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const CLUSTER_ARN = "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod";
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const WORKSPACE_ARN = "arn:aws:aps:us-east-1:123456789012:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const PARTITION = /^arn:\$\{data\.aws_partition\.[\w]+\.partition\}:/;

const base: ControllerRolesProps = {
  clusterName: "ml-prod",
  clusterArn: CLUSTER_ARN,
  oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`,
  oidcIssuerUrl: `https://${ISSUER}`,
  vpcId: "vpc-0123456789abcdef0",
  storageKeyArn: KEY_ARN,
  prometheusWorkspaceArn: WORKSPACE_ARN,
};

function build(props: Partial<ControllerRolesProps> = {}) {
  const stack = awsStack();
  const roles = new ControllerRoles(stack, "controllers", { ...base, ...props });
  return { stack, roles, ...synth(stack) };
}

function problemsOf(props: Partial<ControllerRolesProps>): string[] {
  try {
    build(props);
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ValidationError");
}

/**
 * Parses a synthesized policy. IrsaRole's trust keys embed `${replace("<issuer URL>", "https://", "")}`, whose
 * quotes make the string JSON only after Terraform interpolates it: that one expression is evaluated here.
 */
function parsePolicy(text: string): any {
  return JSON.parse(text.replace(/\$\{replace\("([^"]*)", "https:\/\/", ""\)\}/g, (_m, url: string) => url.replace(/^https:\/\//, "")));
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The role whose name prefix names the purpose (roles and their policies share the prefix). */
function roleOf(json: Record<string, any>, purpose: string): { trust: any; statements: any[]; policies: any[] } {
  const prefix = `ml-prod-${purpose}-`;
  const roles = Object.values(resourcesOf(json, "aws_iam_role")).filter((r: any) => r.name_prefix === prefix);
  if (roles.length !== 1) throw new Error(`expected one role with prefix ${prefix}, found ${roles.length}`);
  const trust = parsePolicy(roles[0].assume_role_policy);
  expect(trust.Statement).toHaveLength(1);
  const policies = Object.values(resourcesOf(json, "aws_iam_policy")).filter((p: any) => p.name_prefix === prefix);
  const statements = policies.flatMap((p: any) => parsePolicy(p.policy).Statement);
  return { trust: trust.Statement[0], statements, policies };
}

const bySid = (statements: any[], sid: string) => {
  const found = statements.filter((s) => s.Sid === sid);
  if (found.length !== 1) throw new Error(`expected one statement ${sid}, found ${found.length}`);
  return found[0];
};

function podIdentityTrust(namespace: string, serviceAccount: string) {
  return {
    Sid: "ServiceAssumesRole",
    Effect: "Allow",
    Principal: { Service: "pods.eks.amazonaws.com" },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: {
      StringEquals: {
        "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN,
        "aws:RequestTag/kubernetes-namespace": namespace,
        "aws:RequestTag/kubernetes-service-account": serviceAccount,
      },
    },
  };
}

/** The IRSA trust conditions keyed by suffix (":sub", ":aud") after checking that each key starts with the issuer. */
function irsaConditions(trust: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(trust.Condition.StringEquals)) {
    expect(key.startsWith(`${ISSUER}:`)).toBe(true);
    out[key.slice(ISSUER.length)] = value as string;
  }
  return out;
}

describe("ControllerRoles defaults", () => {
  const { roles, raw, json } = build();
  const lbc = roleOf(json, "lb-controller");
  const ca = roleOf(json, "cluster-autoscaler");
  const argo = roleOf(json, "argo-rollouts");
  const keda = roleOf(json, "keda");
  const ebs = roleOf(json, "ebs-csi");
  const associations = Object.values(resourcesOf(json, "aws_eks_pod_identity_association"));

  it("lets only each controller's service account in this cluster assume its Pod Identity role", () => {
    expect(lbc.trust).toEqual(podIdentityTrust("kube-system", "aws-load-balancer-controller"));
    expect(ca.trust).toEqual(podIdentityTrust("kube-system", "cluster-autoscaler"));
    expect(keda.trust).toEqual(podIdentityTrust("keda", "keda-operator"));
    expect(ebs.trust).toEqual(podIdentityTrust("kube-system", "ebs-csi-controller-sa"));
  });

  it("lets only the argo-rollouts service account assume the Argo Rollouts role through the cluster's OIDC provider (IRSA)", () => {
    expect(argo.trust).toMatchObject({
      Effect: "Allow",
      Principal: { Federated: base.oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
    });
    expect(irsaConditions(argo.trust)).toEqual({ ":sub": "system:serviceaccount:argo-rollouts:argo-rollouts", ":aud": "sts.amazonaws.com" });
  });

  it("associates the Pod Identity roles except EBS CSI's, which the EKS add-on binds", () => {
    expect(associations).toHaveLength(3);
    const bound = associations.map((a: any) => `${a.namespace}/${a.service_account}`).sort();
    expect(bound).toEqual(["keda/keda-operator", "kube-system/aws-load-balancer-controller", "kube-system/cluster-autoscaler"]);
    for (const a of associations as any[]) expect(a.cluster_name).toBe("ml-prod");
    expect(raw).not.toHaveResourceWithProperties(EksPodIdentityAssociation, { service_account: "ebs-csi-controller-sa" });
    expect(roles.ebsCsiDriver.association).toBeUndefined();
    expect(roles.keda.association).toBeDefined();
  });

  it(`transcribes the AWS Load Balancer Controller ${AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION} policy completely (16 statements, 86 actions)`, () => {
    expect(lbc.policies).toHaveLength(2);
    expect(lbc.statements).toHaveLength(16);
    expect(lbc.statements.flatMap((s) => asArray(s.Action))).toHaveLength(86);
    expect(bySid(lbc.statements, "CreateElbServiceLinkedRole").Condition).toEqual({ StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } });
    expect(bySid(lbc.statements, "DescribeNetworkAndLoadBalancers").Action).toEqual(expect.arrayContaining(["ec2:DescribeRouteTables", "elasticloadbalancing:DescribeCapacityReservation"]));
  });

  it("lets the AWS Load Balancer Controller create and change only what carries its elbv2.k8s.aws/cluster tag", () => {
    expect(bySid(lbc.statements, "CreateTaggedLoadBalancers")).toMatchObject({
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } },
    });
    for (const sid of ["ModifyOwnedLoadBalancers", "ManageOwnedSecurityGroups"]) {
      expect(bySid(lbc.statements, sid).Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
    }
    expect(bySid(lbc.statements, "ModifyOwnedLoadBalancers").Action).toEqual(expect.arrayContaining(["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup"]));
    expect(bySid(lbc.statements, "TagSecurityGroupsOnCreate").Condition).toEqual({
      StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
    });
    expect(bySid(lbc.statements, "TagLoadBalancersOnCreate").Condition.StringEquals).toEqual({ "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] });
    // Every ec2:CreateTags / DeleteTags is conditioned, and every ARN follows the provider's partition.
    for (const s of lbc.statements.filter((st) => asArray(st.Action).some((a: string) => /^ec2:(Create|Delete)Tags$/.test(a)))) expect(s.Condition).toBeDefined();
    for (const r of lbc.statements.flatMap((s) => asArray(s.Resource)).filter((r: string) => r !== "*")) expect(r).toMatch(PARTITION);
  });

  it("lets cluster-autoscaler scale only the Auto Scaling groups this cluster owns", () => {
    expect(bySid(ca.statements, "ScaleOwnedNodeGroups")).toEqual({
      Sid: "ScaleOwnedNodeGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: expect.stringMatching(/:autoscaling:\$\{data\.aws_region\.\w+\.name\}:\$\{data\.aws_caller_identity\.\w+\.account_id\}:autoScalingGroup:\*:autoScalingGroupName\/\*$/),
      Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/ml-prod": "owned" } },
    });
    expect(bySid(ca.statements, "DiscoverNodeGroups").Action).toEqual(expect.arrayContaining(["autoscaling:DescribeTags", "ec2:GetInstanceTypesFromInstanceRequirements"]));
    // eks:DescribeNodegroup has a resource type: this cluster's node groups, not "*" (checkov CKV_AWS_355).
    expect(bySid(ca.statements, "DescribeOwnNodeGroups")).toMatchObject({ Action: "eks:DescribeNodegroup", Resource: expect.stringMatching(/:eks:.*:nodegroup\/ml-prod\/\*\/\*$/) });
    // Only the two scaling actions change anything.
    const writes = ca.statements.flatMap((s) => asArray(s.Action)).filter((a: string) => !/:(Describe|Get)/.test(a));
    expect(writes.sort()).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
  });

  it("gives Argo Rollouts read-only analysis access, AMP queries on the workspace only", () => {
    expect(argo.statements.flatMap((s) => asArray(s.Action)).every((a: string) => /:(Get|Describe|Query)/.test(a))).toBe(true);
    expect(bySid(argo.statements, "QueryPrometheusWorkspace")).toEqual({
      Sid: "QueryPrometheusWorkspace",
      Effect: "Allow",
      Action: ["aps:QueryMetrics", "aps:GetLabels", "aps:GetSeries", "aps:GetMetricMetadata"],
      Resource: WORKSPACE_ARN,
    });
    expect(bySid(argo.statements, "ReadAlbMetrics").Action).toBe("cloudwatch:GetMetricData");
    expect(bySid(argo.statements, "VerifyTargetGroups").Action).toHaveLength(6);
  });

  it("lets KEDA query the AMP workspace and nothing else", () => {
    expect(keda.statements).toEqual([
      { Sid: "QueryPrometheusWorkspace", Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetLabels", "aps:GetSeries", "aps:GetMetricMetadata"], Resource: WORKSPACE_ARN },
    ]);
  });

  it("lets the EBS CSI driver use the storage key only, creating grants only for AWS resources", () => {
    expect(bySid(ebs.statements, "GrantStorageKeyToEbs")).toEqual({
      Sid: "GrantStorageKeyToEbs",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: KEY_ARN,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
    expect(bySid(ebs.statements, "UseStorageKey")).toMatchObject({ Resource: KEY_ARN, Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"] });
    expect(ebs.statements.flatMap((s) => asArray(s.Resource))).toEqual([KEY_ARN, KEY_ARN]);
    const attached = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(attached).toContainEqual(expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::aws:policy\/service-role\/AmazonEBSCSIDriverPolicy$/));
  });

  it("has no policy anywhere that allows every action, or every action of a service", () => {
    const documents = [
      ...Object.values(resourcesOf(json, "aws_iam_policy")).map((p: any) => p.policy),
      ...Object.values(resourcesOf(json, "aws_iam_role")).map((r: any) => r.assume_role_policy),
    ].map(parsePolicy);
    expect(documents).toHaveLength(11);
    for (const statement of documents.flatMap((d) => d.Statement)) {
      expect(statement.NotAction).toBeUndefined();
      if (statement.Effect !== "Allow") continue;
      for (const action of asArray<string>(statement.Action)) {
        expect(action).not.toBe("*");
        expect(action).not.toMatch(/^[\w-]+:\*$/);
      }
    }
    // Customer-managed policies only: no inline policies for the compliance engine to flag.
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
    for (const r of Object.values(resourcesOf(json, "aws_iam_role")) as any[]) expect(r.inline_policy).toBeUndefined();
  });

  it("keeps every managed policy under IAM's 6,144-character limit", () => {
    // Measured on the synthesized JSON, an upper bound: Terraform references (e.g. ${data.aws_partition...})
    // are longer than the values they resolve to, and IAM does not count whitespace (there is none).
    const sizes = Object.values(resourcesOf(json, "aws_iam_policy")).map((p: any) => p.policy.length);
    expect(sizes).toHaveLength(6);
    for (const size of sizes) expect(size).toBeLessThan(6144);
    // Why the AWS Load Balancer Controller policy is split: as one document it would not fit.
    expect(JSON.stringify({ Version: "2012-10-17", Statement: lbc.statements }).length).toBeGreaterThan(6144);
  });

  it("exposes every role ARN and trusted service account for the add-ons stack", () => {
    const names = Object.keys(DEFAULT_CONTROLLER_SERVICE_ACCOUNTS) as ControllerName[];
    expect(Object.keys(roles.roleArns).sort()).toEqual([...names].sort());
    expect(roles.roleArns.argoRollouts).toBe(roles.argoRollouts.roleArn);
    expect(roles.roleArns.ebsCsiDriver).toBe(roles.ebsCsiDriver.roleArn);
    expect(roles.serviceAccounts).toEqual(DEFAULT_CONTROLLER_SERVICE_ACCOUNTS);
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});

describe("ControllerRoles service-account overrides", () => {
  const { roles, json } = build({
    serviceAccounts: {
      keda: { namespace: "autoscaling", serviceAccount: "keda-op" },
      argoRollouts: { namespace: "rollouts", serviceAccount: "rollouts-controller" },
    },
  });

  it("pins the trust policies and associations to the overriding service accounts", () => {
    expect(roleOf(json, "keda").trust).toEqual(podIdentityTrust("autoscaling", "keda-op"));
    expect(irsaConditions(roleOf(json, "argo-rollouts").trust)[":sub"]).toBe("system:serviceaccount:rollouts:rollouts-controller");
    const bound = Object.values(resourcesOf(json, "aws_eks_pod_identity_association")).map((a: any) => `${a.namespace}/${a.service_account}`);
    expect(bound).toContain("autoscaling/keda-op");
    expect(bound).not.toContain("keda/keda-operator");
  });

  it("keeps the defaults of the controllers not overridden", () => {
    expect(roleOf(json, "lb-controller").trust).toEqual(podIdentityTrust("kube-system", "aws-load-balancer-controller"));
    expect(roles.serviceAccounts).toEqual({ ...DEFAULT_CONTROLLER_SERVICE_ACCOUNTS, keda: { namespace: "autoscaling", serviceAccount: "keda-op" }, argoRollouts: { namespace: "rollouts", serviceAccount: "rollouts-controller" } });
  });
});

describe("ControllerRoles validation", () => {
  it("rejects an invalid cluster name, wildcard ARNs and bad service accounts, all at once", () => {
    expect(() =>
      build({
        clusterName: "9-bad_name",
        prometheusWorkspaceArn: "*",
        storageKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/storage",
        serviceAccounts: {
          keda: { namespace: "Bad_NS", serviceAccount: "keda operator" },
          clusterAutoscaler: { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
        },
      }),
    ).toThrow(
      new RegExp(
        [
          "test/controllers: invalid ControllerRoles props \\(6 problems\\)",
          '- clusterName: "9-bad_name" must be a literal of letters, digits and "-", starting with a letter, at most 40 characters',
          '- storageKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/storage" must be the ARN of a single KMS key \\(key/\\.\\.\\., not an alias\\), without wildcards',
          '- prometheusWorkspaceArn: "\\*" must be the ARN of a single AMP workspace, without wildcards; use e.g. "arn:aws:aps:',
          '- serviceAccounts.clusterAutoscaler: "kube-system/aws-load-balancer-controller" is already the service account of awsLoadBalancerController',
          '- serviceAccounts.keda.namespace: "Bad_NS" is not a Kubernetes namespace name',
          '- serviceAccounts.keda.serviceAccount: "keda operator" is not a Kubernetes service account name',
        ].join("[\\s\\S]*"),
      ),
    );
  });

  it("rejects a cluster ARN of another cluster, an unknown controller and a malformed issuer", () => {
    expect(
      problemsOf({
        clusterArn: "arn:aws:eks:us-east-1:123456789012:cluster/ml-staging",
        oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/X",
        vpcId: "vpc-1",
        serviceAccounts: { karpenter: { namespace: "kube-system", serviceAccount: "karpenter" } } as ControllerRolesProps["serviceAccounts"],
      }),
    ).toEqual([
      'clusterArn: "arn:aws:eks:us-east-1:123456789012:cluster/ml-staging" names another cluster than clusterName "ml-prod"',
      'oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/X" is not an https issuer URL; use the cluster\'s identity.oidc.issuer',
      'vpcId: "vpc-1" is not a VPC id; use e.g. "vpc-0123456789abcdef0"',
      "serviceAccounts.karpenter: is not a controller; known: awsLoadBalancerController, clusterAutoscaler, argoRollouts, keda, ebsCsiDriver",
    ]);
  });

  it("accepts Terraform references, known only at apply, for the ARNs and ids", () => {
    const stack = awsStack();
    const ref = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    expect(
      () =>
        new ControllerRoles(stack, "controllers", {
          ...base,
          clusterArn: ref("cluster_arn"),
          oidcProviderArn: ref("oidc_provider_arn"),
          oidcIssuerUrl: ref("oidc_issuer"),
          vpcId: ref("vpc_id"),
          storageKeyArn: ref("storage_key_arn"),
          prometheusWorkspaceArn: ref("workspace_arn"),
        }),
    ).not.toThrow();
  });

  it("requires a literal cluster name", () => {
    const stack = awsStack();
    const clusterName = new TerraformVariable(stack, "cluster_name", { type: "string" }).stringValue;
    expect(() => new ControllerRoles(stack, "controllers", { ...base, clusterName })).toThrow(/clusterName: "\$\{TfToken\[TOKEN\.\d+\]\}" must be a literal/);
  });
});

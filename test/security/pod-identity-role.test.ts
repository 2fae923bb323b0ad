import { PodIdentityRole } from "../../lib/security/pod-identity-role";
import { IrsaRole } from "../../lib/security/irsa-role";
import { PolicyDocument } from "../../lib/security/policy-document";
import { awsStack, onlyResource, parseTemplateJson, resourcesOf, synth } from "../util";

const clusterArn = "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod";

describe("PodIdentityRole", () => {
  const stack = awsStack();
  new PodIdentityRole(stack, "reader", {
    clusterName: "ml-prod",
    clusterArn,
    namespace: "models",
    serviceAccount: "chat",
    purpose: "models-chat",
    description: "Reads model weights",
    policies: { read: new PolicyDocument([{ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] }]) },
  });
  const { raw, json } = synth(stack);

  it("is assumable only by EKS Pod Identity acting for this cluster, namespace and service account", () => {
    const trust = JSON.parse(onlyResource(json, "aws_iam_role").assume_role_policy).Statement;
    expect(trust).toEqual([{
      Sid: "ServiceAssumesRole",
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: { StringEquals: { "aws:RequestTag/eks-cluster-arn": clusterArn, "aws:RequestTag/kubernetes-namespace": "models", "aws:RequestTag/kubernetes-service-account": "chat" } },
    }]);
  });

  it("associates the role with the service account after its policies are attached", () => {
    const assoc = onlyResource(json, "aws_eks_pod_identity_association");
    expect(assoc).toMatchObject({ cluster_name: "ml-prod", namespace: "models", service_account: "chat" });
    expect(assoc.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
    expect(Object.keys(resourcesOf(json, "aws_iam_policy"))).toHaveLength(1);
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
  });

  it("rejects invalid Kubernetes names", () => {
    expect(() => new PodIdentityRole(awsStack(), "bad", { clusterName: "x", clusterArn, namespace: "Models", serviceAccount: "Chat_SA", purpose: "x", description: "x" })).toThrow(
      /test\/bad: invalid PodIdentityRole props \(2 problems\)[\s\S]*namespace: "Models" is not a Kubernetes namespace name[\s\S]*serviceAccount: "Chat_SA" is not a Kubernetes service account name/,
    );
  });

  it("matches the snapshot", () => expect(raw).toMatchSnapshot());
});

describe("IrsaRole", () => {
  const stack = awsStack();
  new IrsaRole(stack, "argo", {
    clusterName: "ml-prod",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
    oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
    namespace: "argo-rollouts",
    serviceAccount: "argo-rollouts",
    purpose: "argo-rollouts",
    description: "Argo Rollouts analysis",
    policies: { read: new PolicyDocument([{ sid: "Read", actions: ["cloudwatch:GetMetricData"], resources: ["*"] }]) },
  });
  const { json } = synth(stack);

  it("pins the web-identity audience and the exact service account subject", () => {
    const [statement] = parseTemplateJson(onlyResource(json, "aws_iam_role").assume_role_policy).Statement;
    expect(statement.Principal).toEqual({ Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC" });
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    // The issuer without its scheme, computed by Terraform (the issuer is known only after apply).
    expect(statement.Condition.StringEquals).toEqual({
      "${replace('https://oidc.eks.us-east-1.amazonaws.com/id/ABC', 'https://', '')}:aud": "sts.amazonaws.com",
      "${replace('https://oidc.eks.us-east-1.amazonaws.com/id/ABC', 'https://', '')}:sub": "system:serviceaccount:argo-rollouts:argo-rollouts",
    });
  });
});

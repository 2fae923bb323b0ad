import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamPullRequestRoleNoSecretValues } from "../../../lib/compliance/rules/github-oidc";
import { GithubDeployRole } from "../../../lib/security/github-deploy-role";
import { evaluateRule } from "../rule-harness";

const trust = (sub: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": sub } },
      },
    ],
  });
const policy = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("IamPullRequestRoleNoSecretValues", () => {
  const { byId } = evaluateRule(IamPullRequestRoleNoSecretValues, (stack) => {
    const reads = new IamPolicy(stack, "reads", { policy: policy([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }]) });
    const pr = new IamRole(stack, "pr-reads-secrets", { assumeRolePolicy: trust("repo:org/repo:pull_request") });
    new IamRolePolicyAttachment(stack, "pr-reads-attach", { role: pr.name, policyArn: reads.arn });
    const wildcard = new IamRole(stack, "pr-by-wildcard", { assumeRolePolicy: trust("repo:org/repo:*") });
    new IamRolePolicyAttachment(stack, "wildcard-attach", { role: wildcard.name, policyArn: reads.arn });
    const decrypt = new IamPolicy(stack, "decrypt", { policy: policy([{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } } }]) });
    const prDecrypt = new IamRole(stack, "pr-decrypts", { assumeRolePolicy: trust("repo:org/repo:pull_request") });
    new IamRolePolicyAttachment(stack, "pr-decrypt-attach", { role: prDecrypt.name, policyArn: decrypt.arn });
    const deniedToo = new IamPolicy(stack, "denied", {
      policy: policy([
        { Effect: "Allow", Action: "secretsmanager:*", Resource: "*" },
        { Effect: "Deny", Action: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], Resource: "*" },
      ]),
    });
    const prDenied = new IamRole(stack, "pr-denied", { assumeRolePolicy: trust("repo:org/repo:pull_request") });
    new IamRolePolicyAttachment(stack, "pr-denied-attach", { role: prDenied.name, policyArn: deniedToo.arn });
    const main = new IamRole(stack, "main-only", { assumeRolePolicy: trust("repo:org/repo:environment:production") });
    new IamRolePolicyAttachment(stack, "main-attach", { role: main.name, policyArn: reads.arn });
    new GithubDeployRole(stack, "plan", { repository: "org/repo", pullRequests: true, readOnly: true, resourceNamePrefix: "ml-prod" });
  });

  it("flags a pull-request role that may read secret values, also through a wildcard sub", () => {
    expect(byId["pr-reads-secrets"]).toEqual({ status: "non-compliant", message: expect.stringMatching(/trusts pull-request tokens but allows secretsmanager:GetSecretValue; a pull request's own workflow could print the secrets/) });
    expect(byId["pr-by-wildcard"].status).toBe("non-compliant");
  });

  it("flags kms:Decrypt through Secrets Manager", () => {
    expect(byId["pr-decrypts"]).toEqual({ status: "non-compliant", message: expect.stringMatching(/kms:Decrypt/) });
  });

  it("accepts what an explicit Deny takes back, and ignores roles that pull requests cannot assume", () => {
    expect(byId["pr-denied"].status).toBe("compliant");
    expect(byId["main-only"].status).toBe("not-applicable");
  });

  it("accepts the library's read-only plan role, which plans without secret values", () => {
    const roles = Object.entries(byId).filter(([id]) => !["pr-reads-secrets", "pr-by-wildcard", "pr-decrypts", "pr-denied", "main-only"].includes(id));
    expect(roles.map(([id, o]) => [id, o.status])).toEqual([[expect.any(String), "compliant"]]);
  });
});

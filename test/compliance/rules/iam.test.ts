import { Fn, TerraformStack, TerraformVariable } from "cdktf";
import { DataAwsIamPolicy } from "@cdktf/provider-aws/lib/data-aws-iam-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamPolicyAttachment } from "@cdktf/provider-aws/lib/iam-policy-attachment";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { IamUserPolicyAttachment } from "@cdktf/provider-aws/lib/iam-user-policy-attachment";
import { SecureInferenceCluster } from "../../../lib/cluster/secure-inference-cluster";
import {
  IAM_RULES,
  IamHumanRoleRequiresMfa,
  IamNoAdminPolicy,
  IamNoAdministratorAccessAttachment,
  IamNoFullServiceAccess,
  IamNoInlinePolicy,
  IamRoleTrustNoWildcard,
} from "../../../lib/compliance/rules/iam";
import { GithubDeployRole } from "../../../lib/security/github-deploy-role";
import { StateBackend } from "../../../lib/security/state-backend";
import { REFERENCE_CLUSTER } from "../../../examples/reference-platform/main";
import { evaluateRule } from "../rule-harness";


/** An IAM JSON document of the given statements. */
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const SERVICE_TRUST = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } };
const humanTrust = (principal: string | string[], condition?: Record<string, unknown>) =>
  doc({ Sid: "People", Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) });

const role = (stack: TerraformStack, id: string, assumeRolePolicy: string, extra: Record<string, unknown> = {}) =>
  new IamRole(stack, id, { name: id, assumeRolePolicy, ...extra });

describe("IamNoAdminPolicy", () => {
  it("accepts scoped policies, and does not apply to a role without inline policies", () => {
    const { byId } = evaluateRule(IamNoAdminPolicy, (stack) => {
      new IamPolicy(stack, "scoped", { policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*" }) });
      // Every action on one bucket is not administrator access (IamNoFullServiceAccess covers it).
      new IamPolicy(stack, "star-on-one", { policy: doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::models" }) });
      new IamPolicy(stack, "deny-all", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) });
      role(stack, "plain", SERVICE_TRUST);
    });
    expect(byId.scoped).toEqual({ status: "compliant" });
    expect(byId["star-on-one"]).toEqual({ status: "compliant" });
    expect(byId["deny-all"]).toEqual({ status: "compliant" });
    expect(byId.plain).toEqual({ status: "not-applicable" });
  });

  it("rejects Action \"*\" on Resource \"*\" in managed, inline and role inline_policy documents", () => {
    const admin = doc({ Sid: "Admin", Effect: "Allow", Action: ["*"], Resource: "*" });
    const { byId } = evaluateRule(IamNoAdminPolicy, (stack) => {
      new IamPolicy(stack, "managed", { policy: admin });
      new IamRolePolicy(stack, "role-inline", { role: "r", policy: admin });
      new IamUserPolicy(stack, "user-inline", { user: "u", policy: admin });
      new IamGroupPolicy(stack, "group-inline", { group: "g", policy: admin });
      role(stack, "with-inline", SERVICE_TRUST, { inlinePolicy: [{ name: "everything", policy: admin }] });
    });
    for (const id of ["managed", "role-inline", "user-inline", "group-inline"]) {
      expect(byId[id].status).toBe("non-compliant");
      expect(byId[id].message).toMatch(/^policy statement "Admin" allows Action "\*" on Resource "\*" \(full administrator access\); allow only the actions/);
    }
    expect(byId["with-inline"].message).toMatch(/^inline_policy "everything" statement "Admin" allows Action "\*" on Resource "\*"/);
  });

  it("reads a data.aws_iam_policy_document of the stack (checkov's CKV_AWS_1)", () => {
    const { byId } = evaluateRule(IamNoAdminPolicy, (stack) => {
      const admin = new DataAwsIamPolicyDocument(stack, "admin-doc", { statement: [{ actions: ["*"], resources: ["*"] }] });
      const scoped = new DataAwsIamPolicyDocument(stack, "scoped-doc", { statement: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::models/*"] }] });
      new IamPolicy(stack, "from-admin-doc", { policy: admin.json });
      new IamPolicy(stack, "from-scoped-doc", { policy: scoped.json });
    });
    expect(byId["from-admin-doc"].status).toBe("non-compliant");
    expect(byId["from-admin-doc"].message).toMatch(/policy statement #1 allows Action "\*" on Resource "\*"/);
    expect(byId["from-scoped-doc"]).toEqual({ status: "compliant" });
  });

  it("reads a policy written with Fn.jsonencode of literal values", () => {
    const { byId } = evaluateRule(IamNoAdminPolicy, (stack) => {
      new IamPolicy(stack, "empty", { policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [] }) });
      new IamPolicy(stack, "admin", { policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
    });
    expect(byId.empty).toEqual({ status: "compliant" });
    expect(byId.admin.message).toMatch(/policy statement #1 allows Action "\*" on Resource "\*"/);
  });

  it("rejects a policy it cannot read at synth time, saying how to make it checkable", () => {
    const { byId } = evaluateRule(IamNoAdminPolicy, (stack) => {
      new IamPolicy(stack, "encoded", { policy: Fn.jsonencode(new TerraformVariable(stack, "doc", {}).value) });
    });
    expect(byId.encoded.status).toBe("non-compliant");
    expect(byId.encoded.message).toMatch(/^policy cannot be read at synth time \(\$\{jsonencode.*write it as IAM JSON/);
  });
});

describe("IamNoFullServiceAccess", () => {
  it("accepts listed actions and prefix wildcards narrower than a whole service", () => {
    const { byId } = evaluateRule(IamNoFullServiceAccess, (stack) => {
      new IamPolicy(stack, "listed", { policy: doc({ Effect: "Allow", Action: ["s3:GetObject", "ec2:Describe*"], Resource: "*" }) });
      new IamPolicy(stack, "deny", { policy: doc({ Effect: "Deny", Action: "s3:*", Resource: "*" }) });
    });
    expect(byId.listed).toEqual({ status: "compliant" });
    expect(byId.deny).toEqual({ status: "compliant" });
  });

  it("names every \"*\" and \"<service>:*\" action an Allow statement grants", () => {
    const { byId } = evaluateRule(IamNoFullServiceAccess, (stack) => {
      new IamPolicy(stack, "broad", {
        policy: doc(
          { Sid: "Buckets", Effect: "Allow", Action: ["s3:*", "s3:GetObject"], Resource: "arn:aws:s3:::models/*" },
          { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::models" },
        ),
      });
      role(stack, "inline", SERVICE_TRUST, { inlinePolicy: [{ name: "iam", policy: doc({ Effect: "Allow", Action: "IAM:*", Resource: "*" }) }] });
    });
    expect(byId.broad.status).toBe("non-compliant");
    expect(byId.broad.message).toMatch(/policy statement "Buckets" allows "s3:\*"; policy statement "Everything" allows "\*"; list the specific actions/);
    expect(byId.inline.message).toMatch(/inline_policy "iam" statement #1 allows "IAM:\*"/);
  });
});

describe("IamNoInlinePolicy", () => {
  it("accepts a role without inline policies, also one with Terraform's empty inline_policy block that removes them", () => {
    const { byId } = evaluateRule(IamNoInlinePolicy, (stack) => {
      role(stack, "plain", SERVICE_TRUST);
      role(stack, "exclusive", SERVICE_TRUST, { inlinePolicy: [{}] });
    });
    expect(byId.plain).toEqual({ status: "compliant" });
    expect(byId.exclusive).toEqual({ status: "compliant" });
  });

  it("rejects inline policy resources and inline_policy blocks, naming the fix", () => {
    const policy = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*" });
    const { byId } = evaluateRule(IamNoInlinePolicy, (stack) => {
      new IamRolePolicy(stack, "role-policy", { role: "app", policy });
      new IamUserPolicy(stack, "user-policy", { user: "alice", policy });
      new IamGroupPolicy(stack, "group-policy", { group: "ops", policy });
      role(stack, "with-inline", SERVICE_TRUST, { inlinePolicy: [{ name: "read-models", policy }] });
    });
    expect(byId["role-policy"].message).toMatch(/aws_iam_role_policy embeds an inline policy in role "app"; create an aws_iam_policy .* aws_iam_role_policy_attachment/);
    expect(byId["user-policy"].message).toMatch(/in user "alice".*aws_iam_user_policy_attachment/);
    expect(byId["group-policy"].message).toMatch(/in group "ops".*aws_iam_group_policy_attachment/);
    expect(byId["with-inline"].status).toBe("non-compliant");
    expect(byId["with-inline"].message).toMatch(/inline_policy "read-models" embeds a policy in the role; move each to an aws_iam_policy/);
  });
});

describe("IamRoleTrustNoWildcard", () => {
  it("accepts trust in named services and principals", () => {
    const { byId } = evaluateRule(IamRoleTrustNoWildcard, (stack) => {
      role(stack, "service", SERVICE_TRUST);
      role(stack, "account", humanTrust("arn:aws:iam::123456789012:root", MFA));
    });
    expect(byId.service).toEqual({ status: "compliant" });
    expect(byId.account).toEqual({ status: "compliant" });
  });

  it("rejects Principal \"*\" and AWS \"*\"", () => {
    const { byId } = evaluateRule(IamRoleTrustNoWildcard, (stack) => {
      role(stack, "bare", doc({ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }));
      role(stack, "aws-star", humanTrust("*", MFA));
    });
    expect(byId.bare.status).toBe("non-compliant");
    expect(byId.bare.message).toMatch(/assume_role_policy statement "Anyone" lets any principal \("\*"\) assume the role without a principal-scoping condition; name the roles/);
    expect(byId["aws-star"].message).toMatch(/statement "People" lets any principal/);
  });
});

describe("IamHumanRoleRequiresMfa", () => {
  it("accepts human trust with MFA no older than the limit, and does not apply to services, identity providers or the stack's own roles", () => {
    const { byId } = evaluateRule(IamHumanRoleRequiresMfa, (stack) => {
      role(stack, "account-mfa", humanTrust("arn:aws:iam::123456789012:root", MFA));
      role(stack, "role-mfa-le", humanTrust("arn:aws:iam::123456789012:role/admins", { ...MFA, NumericLessThan: undefined, NumericLessThanEquals: { "aws:MultiFactorAuthAge": "900" } }));
      const source = role(stack, "source", SERVICE_TRUST);
      role(stack, "chained", doc({ Effect: "Allow", Principal: { AWS: source.arn }, Action: "sts:AssumeRole" }));
      role(stack, "oidc", doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity" }));
    });
    expect(byId["account-mfa"]).toEqual({ status: "compliant" });
    expect(byId["role-mfa-le"]).toEqual({ status: "compliant" });
    expect(byId.source).toEqual({ status: "not-applicable" });
    expect(byId.chained).toEqual({ status: "not-applicable" });
    expect(byId.oidc).toEqual({ status: "not-applicable" });
  });

  it("rejects account roots and outside roles trusted without MFA, naming the principals and the missing conditions", () => {
    const { byId } = evaluateRule(IamHumanRoleRequiresMfa, (stack) => {
      role(stack, "root", humanTrust("arn:aws:iam::123456789012:root"));
      role(stack, "present-only", humanTrust("arn:aws:iam::123456789012:role/admins", { Bool: { "aws:MultiFactorAuthPresent": "true" } }));
      role(stack, "if-exists", humanTrust("arn:aws:iam::123456789012:user/alice", { ...MFA, Bool: undefined, BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } }));
    });
    expect(byId.root.status).toBe("non-compliant");
    expect(byId.root.message).toMatch(
      /assume_role_policy statement "People" admits "arn:aws:iam::123456789012:root" without Bool "aws:MultiFactorAuthPresent" = "true" and without NumericLessThan "aws:MultiFactorAuthAge" \(at most 3600 seconds\); add Condition/,
    );
    expect(byId["present-only"].message).toMatch(/admits "arn:aws:iam::123456789012:role\/admins" without NumericLessThan "aws:MultiFactorAuthAge"/);
    expect(byId["present-only"].message).not.toMatch(/without Bool/);
    // BoolIfExists passes requests without the key, such as ones signed with long-term access keys.
    expect(byId["if-exists"].message).toMatch(/without Bool "aws:MultiFactorAuthPresent" = "true"/);
  });

  it("holds the MFA age to params.maxAgeSeconds (default 3600)", () => {
    const build = (stack: TerraformStack) => {
      role(stack, "hour", humanTrust("arn:aws:iam::123456789012:root", MFA));
      role(stack, "two-hours", humanTrust("arn:aws:iam::123456789012:root", { ...MFA, NumericLessThan: { "aws:MultiFactorAuthAge": "7200" } }));
    };
    const defaults = evaluateRule(IamHumanRoleRequiresMfa, build).byId;
    expect(defaults.hour).toEqual({ status: "compliant" });
    expect(defaults["two-hours"].message).toMatch(/accepting MFA up to 7200 seconds old \("aws:MultiFactorAuthAge"\), more than 3600/);
    const strict = evaluateRule(IamHumanRoleRequiresMfa, build, { maxAgeSeconds: 900 }).byId;
    expect(strict.hour.status).toBe("non-compliant");
    expect(strict.hour.message).toMatch(/accepting MFA up to 3600 seconds old .* more than 900.*"aws:MultiFactorAuthAge": "900"/);
  });

  it("checks the human principals of a statement that also trusts a service", () => {
    const { byId } = evaluateRule(IamHumanRoleRequiresMfa, (stack) => {
      const machine = role(stack, "machine", SERVICE_TRUST);
      role(stack, "mixed", doc({
        Sid: "Mixed",
        Effect: "Allow",
        Principal: { Service: "ec2.amazonaws.com", AWS: [machine.arn, "arn:aws:iam::210987654321:role/ops"] },
        Action: "sts:AssumeRole",
      }));
    });
    expect(byId.mixed.status).toBe("non-compliant");
    expect(byId.mixed.message).toMatch(/statement "Mixed" admits "arn:aws:iam::210987654321:role\/ops" without/);
    expect(byId.mixed.message).not.toMatch(/aws_iam_role\.machine/);
  });
});

describe("IamNoAdministratorAccessAttachment", () => {
  it("accepts attachments of other policies, and does not apply to roles without managed_policy_arns", () => {
    const { byId } = evaluateRule(IamNoAdministratorAccessAttachment, (stack) => {
      new IamRolePolicyAttachment(stack, "eks", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" });
      new IamRolePolicyAttachment(stack, "lookalike", { role: "r", policyArn: "arn:aws:iam::123456789012:policy/AdministratorAccessReview" });
      role(stack, "plain", SERVICE_TRUST);
    });
    expect(byId.eks).toEqual({ status: "compliant" });
    expect(byId.lookalike).toEqual({ status: "compliant" });
    expect(byId.plain).toEqual({ status: "not-applicable" });
  });

  it("rejects AdministratorAccess attached to a role, user or group, by literal ARN or through a data.aws_iam_policy", () => {
    const admin = "arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess";
    const { byId } = evaluateRule(IamNoAdministratorAccessAttachment, (stack) => {
      new IamRolePolicyAttachment(stack, "role-admin", { role: "r", policyArn: admin });
      new IamUserPolicyAttachment(stack, "user-admin", { user: "u", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
      new IamGroupPolicyAttachment(stack, "group-admin", { group: "g", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
      new IamPolicyAttachment(stack, "exclusive-admin", { name: "admins", roles: ["r"], policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
      const looked = new DataAwsIamPolicy(stack, "admin-policy", { name: "AdministratorAccess" });
      new IamRolePolicyAttachment(stack, "via-data", { role: "r", policyArn: looked.arn });
      role(stack, "managed-arns", SERVICE_TRUST, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
    });
    for (const id of ["role-admin", "user-admin", "group-admin", "exclusive-admin", "via-data"]) {
      expect(byId[id].status).toBe("non-compliant");
      expect(byId[id].message).toMatch(/^policy_arn ".*" attaches AWS's AdministratorAccess policy; attach a customer-managed policy/);
    }
    expect(byId["managed-arns"].message).toMatch(/managed_policy_arns includes "arn:aws:iam::aws:policy\/AdministratorAccess"/);
  });
});

describe("the library's IAM against the IAM rules", () => {
  const failuresOf = (byAddress: Record<string, { status: string; message?: string }>) =>
    Object.entries(byAddress).filter(([, o]) => o.status !== "compliant" && o.status !== "not-applicable");

  it.each(IAM_RULES.map((rule) => [rule.id, rule] as const))("SecureInferenceCluster with human access complies with %s", (_id, rule) => {
    const { byAddress } = evaluateRule(rule, (stack) => {
      new SecureInferenceCluster(stack, "ml", REFERENCE_CLUSTER);
    });
    expect(Object.keys(byAddress).length).toBeGreaterThan(0);
    expect(failuresOf(byAddress)).toEqual([]);
  });

  it("requires MFA on all four human roles of the cluster, and treats the scraper's role chain as machines", () => {
    const { byAddress } = evaluateRule(IamHumanRoleRequiresMfa, (stack) => {
      new SecureInferenceCluster(stack, "ml", REFERENCE_CLUSTER);
    });
    const compliant = Object.entries(byAddress).filter(([, o]) => o.status === "compliant").map(([a]) => a);
    expect(compliant).toHaveLength(4);
    for (const kind of ["admins", "operators", "viewers", "breakGlass"]) expect(compliant).toContainEqual(expect.stringMatching(new RegExp(`^aws_iam_role\\.ml_access_${kind}-role_`)));
    expect(Object.entries(byAddress).find(([a]) => a.startsWith("aws_iam_role.ml_monitoring_scraper-target-role"))?.[1].status).toBe("not-applicable");
  });

  it.each(IAM_RULES.map((rule) => [rule.id, rule] as const))("GithubDeployRole (deploy and readOnly, with state access) complies with %s", (_id, rule) => {
    const { byAddress } = evaluateRule(rule, (stack) => {
      const state = new StateBackend(stack, "state", { bucketName: "ml-prod-terraform-state-123456789012", region: "us-east-1" });
      const keys = ["platform.tfstate", "addons.tfstate", "serving.tfstate"];
      const deploy = new GithubDeployRole(stack, "deploy", {
        repository: "example-org/ml-platform",
        branches: ["main"],
        resourceNamePrefix: "ml-prod",
        additionalStatements: [...state.accessPolicyDocument(keys).statements],
      });
      new GithubDeployRole(stack, "plan", {
        repository: "example-org/ml-platform",
        pullRequests: true,
        readOnly: true,
        oidcProviderArn: deploy.oidcProviderArn,
        resourceNamePrefix: "ml-prod",
        additionalStatements: [...state.accessPolicyDocument(keys, { readOnly: true }).statements],
      });
    });
    const own = Object.fromEntries(Object.entries(byAddress).filter(([a]) => /\.(deploy|plan)_/.test(a)));
    expect(Object.keys(own).length).toBeGreaterThan(0);
    expect(failuresOf(byAddress)).toEqual([]);
  });
});

import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { datastoreIdBase } from "../../lib/routing/private/datastore-id";
import { GithubDeployRole, GithubDeployRoleProps, MANAGED_POLICY_MAX_CHARS } from "../../lib/security/github-deploy-role";
import { StateBackend } from "../../lib/security/state-backend";
import { Compliance } from "../../lib/compliance/compliance";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

const REPO = "octo-org/ml-platform";
const GITHUB_PROVIDER = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
const AUD = "token.actions.githubusercontent.com:aud";
const SUB = "token.actions.githubusercontent.com:sub";

// References to the stack's AwsContext, as they appear in synthesized JSON.
const PARTITION = String.raw`\$\{data\.aws_partition\.\w+\.partition\}`;
const ACCOUNT = String.raw`\$\{data\.aws_caller_identity\.\w+\.account_id\}`;

interface Statement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The permissions boundary policy: the only aws_iam_policy with a fixed name. */
const isBoundary = (p: { name?: string }) => typeof p.name === "string" && p.name.endsWith("-boundary");

/** Every attached policy document, as the JSON string Terraform receives (not the boundary). */
function policyStrings(json: Record<string, any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return Object.values(resourcesOf(json, "aws_iam_policy")).filter((p) => !isBoundary(p)).map((p) => p.policy as string);
}

/** The boundary policy's statements, and its resource. */
function boundaryOf(json: Record<string, any>): { name: string; id: string; statements: Statement[]; policy: string } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const found = Object.entries(resourcesOf(json, "aws_iam_policy")).filter(([, p]) => isBoundary(p));
  if (found.length !== 1) throw new Error(`expected one boundary policy, found ${found.length}`);
  const [id, p] = found[0];
  return { id, name: p.name, policy: p.policy, statements: JSON.parse(p.policy).Statement };
}

function statementsOf(json: Record<string, any>): Statement[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return policyStrings(json).flatMap((p) => JSON.parse(p).Statement as Statement[]);
}

/** The policy as IAM stores it: references replaced by the longest values they can resolve to. */
function resolvedLength(policy: string): number {
  return policy
    .replace(new RegExp(PARTITION, "g"), "aws-us-gov")
    .replace(new RegExp(ACCOUNT, "g"), "123456789012")
    .replace(/\$\{data\.aws_partition\.\w+\.dns_suffix\}/g, "amazonaws.com.cn")
    .replace(/\$\{[^}]+\}/g, "x".repeat(128)).length;
}

function trustOf(json: Record<string, any>): Statement[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(onlyResource(json, "aws_iam_role").assume_role_policy).Statement;
}

// ---- A small IAM evaluator: enough of the policy language to ask what a boundary admits.

/** IAM's wildcard match: "*" any run of characters, "?" one; actions case-insensitively. */
function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(`^${pattern.split("").map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`, ignoreCase ? "i" : "");
  return re.test(value);
}

type RequestContext = Record<string, string>;

/** Whether a statement's conditions hold for the request; an absent key fails positive operators and passes negated ones. */
function conditionsHold(s: Statement, context: RequestContext): boolean {
  return Object.entries(s.Condition ?? {}).every(([op, byKey]) =>
    Object.entries(byKey).every(([key, v]) => {
      const values = list(v as string | string[]);
      const given = context[key];
      const negated = op.startsWith("StringNot") || op.startsWith("ArnNot");
      if (given === undefined) return negated;
      const like = /Like$/.test(op) || op.startsWith("Arn");
      const match = values.some((x) => (like ? globMatches(x, given) : x === given));
      if (op === "Bool") return values.includes(given);
      return negated ? !match : match;
    }),
  );
}

function statementApplies(s: Statement, action: string, resource: string, context: RequestContext): boolean {
  return list(s.Action).some((a) => globMatches(a, action, true)) && list(s.Resource).some((r) => globMatches(r, resource)) && conditionsHold(s, context);
}

/** IAM's answer for one request: an explicit deny wins, else any allow, else the implicit deny. */
function allowedBy(statements: Statement[], action: string, resource: string, context: RequestContext = {}): boolean {
  if (statements.some((s) => s.Effect === "Deny" && statementApplies(s, action, resource, context))) return false;
  return statements.some((s) => s.Effect === "Allow" && statementApplies(s, action, resource, context));
}

describe("GithubDeployRole for deploys from main and the production environment", () => {
  const stack = awsStack();
  const deploy = new GithubDeployRole(stack, "deploy", {
    repository: REPO,
    branches: ["main"],
    environments: ["production"],
    resourceNamePrefix: "ml-prod",
    additionalStatements: [
      { sid: "ReadWriteState", actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::acme-ml-tfstate/ml/prod.tfstate"] },
      { sid: "LockState", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: ["arn:aws:s3:::acme-ml-tfstate/ml/prod.tfstate.tflock"] },
    ],
    tags: { team: "ml-platform" },
  });
  const { raw, json } = synth(stack);
  const statements = statementsOf(json);
  const allows = statements.filter((s) => s.Effect === "Allow");
  const statement = (sid: string) => {
    const found = statements.find((s) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
  };

  it("trusts only GitHub tokens for sts.amazonaws.com whose subject is exactly main or the production environment", () => {
    expect(trustOf(json)).toEqual([{
      Sid: "GithubActionsAssumeRole",
      Effect: "Allow",
      Principal: { Federated: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/) },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [AUD]: "sts.amazonaws.com",
          [SUB]: ["repo:octo-org/ml-platform:ref:refs/heads/main", "repo:octo-org/ml-platform:environment:production"],
        },
      },
    }]);
    expect(deploy.oidcProviderArn).toEqual(expect.any(String));
  });

  it("creates GitHub's OIDC provider for the sts.amazonaws.com audience, without a thumbprint", () => {
    expect(raw).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    expect(onlyResource(json, "aws_iam_openid_connect_provider").thumbprint_list).toBeUndefined();
  });

  it("names the role outside the prefix it manages, with one-hour sessions", () => {
    expect(raw).toHaveResourceWithProperties(IamRole, { name_prefix: "github-deploy-ml-prod-", max_session_duration: 3600 });
    for (const p of Object.values(resourcesOf(json, "aws_iam_policy")).filter((x) => !isBoundary(x))) expect(p.name_prefix).toBe("github-deploy-ml-prod-");
  });

  it("attaches every permission as a customer-managed policy; no inline policies", () => {
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
    expect(onlyResource(json, "aws_iam_role").inline_policy).toBeUndefined();
    const policies = Object.entries(resourcesOf(json, "aws_iam_policy")).filter(([, p]) => !isBoundary(p)).map(([id]) => id);
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"));
    expect(attachments).toHaveLength(policies.length);
    expect(attachments.map((a) => a.policy_arn).sort()).toEqual(policies.map((id) => `\${aws_iam_policy.${id}.arn}`).sort());
    expect(deploy.policies).toHaveLength(policies.length);
  });

  it("keeps each policy under IAM's 6,144-character limit, split by service group", () => {
    const policies = policyStrings(json);
    expect(policies.length).toBeGreaterThan(1);
    for (const p of policies) expect(resolvedLength(p)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    // Without the split, the permissions would not fit one policy.
    expect(policies.reduce((n, p) => n + resolvedLength(p), 0)).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    // Statements of one service stay in one policy.
    const policyOf = (sid: string) => policies.findIndex((p) => JSON.parse(p).Statement.some((s: Statement) => s.Sid === sid));
    expect(policyOf("IamManageRoles")).toBe(policyOf("IamPassRolesToServices"));
  });

  it("grants no Action \"*\" or \"<service>:*\", and never Action \"*\" on Resource \"*\"", () => {
    for (const s of statements) {
      for (const a of list(s.Action)) {
        expect(a).not.toBe("*");
        expect(a).not.toMatch(/^[\w-]+:\*$/);
      }
      expect(list(s.Action).includes("*") && list(s.Resource).includes("*")).toBe(false);
    }
  });

  it("limits IAM to roles and policies named with the prefix, the clusters' OIDC providers and service-linked roles", () => {
    const allowed = [
      new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:role/ml-prod\\*$`),
      new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:policy/ml-prod\\*$`),
      new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:oidc-provider/oidc\\.eks\\.\\*$`),
      new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:role/aws-service-role/[a-z.-]+\\.amazonaws\\.com/\\*$`),
    ];
    const iam = allows.filter((s) => list(s.Action).some((a) => a.startsWith("iam:")));
    expect(iam.length).toBeGreaterThan(0);
    for (const s of iam) {
      for (const r of list(s.Resource)) expect(allowed.some((re) => re.test(r))).toBe(true);
    }
    // Role creation, trust changes, attachments and PassRole: only roles of the prefix.
    const roleChanging = ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PassRole", "iam:DeleteRole"];
    for (const s of iam.filter((x) => list(x.Action).some((a) => roleChanging.includes(a)))) {
      expect(list(s.Resource)).toEqual([expect.stringMatching(allowed[0])]);
    }
    expect(statement("IamManagePolicies").Resource).toMatch(allowed[1]);
    expect(statement("IamManageClusterOidcProviders").Resource).toMatch(allowed[2]);
  });

  it("passes roles only to the services that use them", () => {
    expect(statement("IamPassRolesToServices")).toEqual({
      Sid: "IamPassRolesToServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: expect.stringMatching(new RegExp(`:role/ml-prod\\*$`)),
      Condition: {
        StringEquals: {
          "iam:PassedToService": [
            "eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "cloudtrail.amazonaws.com", "pods.eks.amazonaws.com", "scraper.aps.amazonaws.com",
            "monitoring.rds.amazonaws.com",
          ],
        },
      },
    });
  });

  it("creates service-linked roles only for the services the stacks use", () => {
    expect(statement("IamCreateServiceLinkedRoles").Condition).toEqual({
      StringEquals: {
        "iam:AWSServiceName": [
          "eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com", "scraper.aps.amazonaws.com",
          "elasticache.amazonaws.com", "rds.amazonaws.com",
        ],
      },
    });
    // RDS creates AWSServiceRoleForRDS with the caller's permissions on the account's first DB instance.
    expect(list(statement("IamCreateServiceLinkedRoles").Resource)).toContainEqual(expect.stringMatching(/:role\/aws-service-role\/rds\.amazonaws\.com\/\*$/));
  });

  it("attaches only the stacks' own or AWS managed policies, and never the administrator ones", () => {
    expect(statement("IamAttachPolicies").Condition).toEqual({
      StringEquals: { "iam:PermissionsBoundary": expect.stringMatching(new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:policy/github-deploy-ml-prod-boundary$`)) },
      ArnLike: { "iam:PolicyARN": [expect.stringMatching(/:policy\/ml-prod\*$/), expect.stringMatching(new RegExp(`^arn:${PARTITION}:iam::aws:policy/\\*$`))] },
    });
    expect(statement("IamNeverAttachAdministration")).toMatchObject({ Effect: "Deny", Action: "iam:AttachRolePolicy" });
  });

  it("limits buckets, EKS resources, key aliases, log groups, trails and dashboards to the prefix", () => {
    expect(statement("S3ManageBuckets").Resource).toMatch(new RegExp(`^arn:${PARTITION}:s3:::ml-prod\\*$`));
    for (const r of list(statement("EksManageClusters").Resource)) expect(r).toMatch(/:eks:\*:.*:(cluster|nodegroup|addon|access-entry|podidentityassociation)\/ml-prod\*$/);
    expect(list(statement("KmsManageAliases").Resource)).toEqual([expect.stringMatching(/:alias\/ml-prod\*$/), expect.stringMatching(/:key\/\*$/)]);
    // Control-plane, flow-log and trail log groups, and the LiteLLM database's exports (/aws/rds/instance/<identifier>/postgresql).
    expect(list(statement("LogsManageLogGroups").Resource)).toEqual([
      expect.stringMatching(/:logs:\*:.*:log-group:\/aws\/\*\/ml-prod\*$/),
      expect.stringMatching(/:logs:\*:.*:log-group:\/aws\/rds\/instance\/ml-prod\*$/),
    ]);
    expect(statement("CloudTrailManageTrails").Resource).toMatch(/:cloudtrail:\*:.*:trail\/ml-prod\*$/);
    // Endpoint dashboards carry the cluster name; load balancers are only read (the controller makes them).
    expect(statement("CloudWatchManageDashboards").Resource).toMatch(/:cloudwatch::.*:dashboard\/ml-prod\*$/);
    expect(statement("ElbRead")).toMatchObject({ Action: "elasticloadbalancing:Describe*", Resource: "*" });
    // Router master keys: secrets named after the cluster, their KMS keys only through Secrets Manager.
    expect(statement("SecretsManagerManageSecrets").Resource).toMatch(/:secretsmanager:\*:.*:secret:ml-prod\/\*$/);
    expect(statement("KmsThroughSecretsManager").Condition).toEqual({ StringLike: { "kms:ViaService": expect.stringMatching(/^secretsmanager\.\*\./) } });
    // Router response caches: ElastiCache ids start with the prefix (lower-cased, at most 20 characters).
    const cache = list(statement("ElastiCacheManageResponseCaches").Resource);
    for (const type of ["replicationgroup", "cluster", "subnetgroup", "user", "usergroup"]) expect(cache).toContainEqual(expect.stringMatching(new RegExp(`:elasticache:\\*:.*:${type}:ml-prod\\*$`)));
    expect(cache).toContainEqual(expect.stringMatching(/:elasticache:\*:.*:parametergroup:default\.\*$/));
    expect(cache).toHaveLength(6);
    expect(list(statement("ElastiCacheManageResponseCaches").Action)).not.toContain("elasticache:Connect");
    // Changing the replica count calls these, not ModifyReplicationGroup.
    expect(list(statement("ElastiCacheManageResponseCaches").Action)).toEqual(expect.arrayContaining(["elasticache:IncreaseReplicaCount", "elasticache:DecreaseReplicaCount"]));
  });

  it("limits the LiteLLM database's RDS resources to the prefix, and option groups to the engine's defaults", () => {
    const db = statement("RdsManageLitellmDatabases");
    // Instance "<prefix>-<hash>-litellm", its subnet and "-pg17" parameter groups, and its final snapshot "<identifier>-final".
    expect(list(db.Resource)).toEqual(["db", "subgrp", "pg", "snapshot"].map((type) => expect.stringMatching(new RegExp(`^arn:${PARTITION}:rds:\\*:${ACCOUNT}:${type}:ml-prod\\*$`))));
    expect(list(db.Action)).toEqual(expect.arrayContaining([
      "rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance", "rds:CreateDBSnapshot", "rds:CreateDBParameterGroup",
      "rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup", "rds:DeleteDBParameterGroup", "rds:CreateDBSubnetGroup", "rds:DeleteDBSubnetGroup",
      "rds:AddTagsToResource", "rds:ListTagsForResource",
    ]));
    // Final snapshots are kept: the deploy role cannot delete snapshots.
    expect(statements.flatMap((s) => list(s.Action)).filter((a) => /^rds:(DeleteDBSnapshot|Delete\*|\*)$/.test(a))).toEqual([]);
    expect(statement("RdsUseDefaultOptionGroups")).toMatchObject({
      Action: ["rds:CreateDBInstance", "rds:ModifyDBInstance"],
      Resource: expect.stringMatching(/:rds:\*:.*:og:default:postgres-\*$/),
    });
    expect(statement("RdsRead")).toMatchObject({ Action: "rds:Describe*", Resource: "*" });
    // No other statement grants RDS writes.
    for (const s of allows.filter((x) => !["RdsManageLitellmDatabases", "RdsUseDefaultOptionGroups", "RdsRead"].includes(x.Sid))) {
      expect(list(s.Action).filter((a) => a.startsWith("rds:"))).toEqual([]);
    }
  });

  it("grants no access to RDS-managed secrets (the router writes its database password write-only to its own secret), and uses KMS keys only through RDS or Secrets Manager", () => {
    expect(allows.flatMap((s) => list(s.Resource)).filter((r) => r.includes(":secret:rds!"))).toEqual([]);
    expect(statement("KmsThroughRds")).toMatchObject({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: expect.stringMatching(/:kms:\*:.*:key\/\*$/),
      Condition: { StringLike: { "kms:ViaService": expect.stringMatching(/^rds\.\*\./) } },
    });
    // Data keys and decryption only on behalf of a service, never directly.
    const direct = allows.filter((s) => list(s.Action).some((a) => ["kms:Decrypt", "kms:GenerateDataKey"].includes(a)) && !s.Condition?.StringLike?.["kms:ViaService"]);
    expect(direct.map((s) => s.Sid)).toEqual([]);
  });

  it("lets KMS create grants only for AWS resources, and use keys for the state only through S3", () => {
    expect(statement("KmsGrantsForAwsServices").Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
  });

  it("denies sharing or exporting EC2 data that the ec2 wildcards would otherwise allow", () => {
    expect(statement("Ec2NeverShareOrExport")).toMatchObject({ Effect: "Deny", Resource: "*" });
    expect(list(statement("Ec2NeverShareOrExport").Action)).toEqual(expect.arrayContaining(["ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "ec2:CreateInstanceExportTask"]));
  });

  it("may manage the endpoints' AMP alerting rule groups and the workspace's Alertmanager definition (rollback alarms from server metrics)", () => {
    expect(list(statement("ApsManageAlerting").Action)).toEqual([
      "aps:CreateRuleGroupsNamespace", "aps:PutRuleGroupsNamespace", "aps:DeleteRuleGroupsNamespace",
      "aps:CreateAlertManagerDefinition", "aps:PutAlertManagerDefinition", "aps:DeleteAlertManagerDefinition",
    ]);
    expect(list(statement("ApsManageAlerting").Resource)).toEqual([expect.stringMatching(new RegExp(`^arn:${PARTITION}:aps:\\*:${ACCOUNT}:\\*$|aps`))]);
  });

  describe("permissions boundary", () => {
    const boundary = boundaryOf(json);
    const role = onlyResource(json, "aws_iam_role");
    // Resources as the synthesized statements spell them: same references, so the evaluator compares like with like.
    const iamArn = (resource: string) => boundary.statements.flatMap((s) => list(s.Resource)).find((r) => r.includes(":iam::"))!.replace(/:iam::([^:]*):.*$/, `:iam::$1:${resource}`);
    const prefixRole = iamArn("role/ml-prod-nodes-abc");
    // The boundary's ARN as the synthesized JSON spells it (deploy.permissionsBoundaryArn holds unresolved tokens).
    const BOUNDARY = iamArn("policy/github-deploy-ml-prod-boundary");

    it("is a customer-managed policy named outside the prefix, which the deploy role itself carries", () => {
      expect(boundary.name).toBe("github-deploy-ml-prod-boundary");
      expect(role.permissions_boundary).toBe(`\${aws_iam_policy.${boundary.id}.arn}`);
      expect(BOUNDARY).toMatch(new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:policy/github-deploy-ml-prod-boundary$`));
      expect(deploy.permissionsBoundaryArn).toMatch(/:policy\/github-deploy-ml-prod-boundary$/);
      expect(GithubDeployRole.permissionsBoundaryArnOf({ resourceNamePrefix: "ml-prod", roleName: "github-deploy-ml-prod" }, "123456789012")).toBe(
        "arn:aws:iam::123456789012:policy/github-deploy-ml-prod-boundary",
      );
      expect(resolvedLength(boundary.policy)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    });

    it("lets the deploy role create roles, attach policies and set boundaries only with iam:PermissionsBoundary equal to the boundary's ARN", () => {
      const bounded = ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:PutRolePolicy"];
      const granting = allows.filter((s) => list(s.Action).some((a) => bounded.some((b) => globMatches(a, b, true))));
      expect(granting.map((s) => s.Sid).sort()).toEqual(["IamAttachPolicies", "IamCreateRolesOnlyUnderBoundary"]);
      for (const s of granting) expect({ sid: s.Sid, boundary: s.Condition?.StringEquals?.["iam:PermissionsBoundary"] }).toEqual({ sid: s.Sid, boundary: BOUNDARY });
      // Whatever else is allowed (additional statements included), a request without the boundary is denied.
      expect(statement("IamNeverRolesWithoutBoundary")).toEqual({
        Sid: "IamNeverRolesWithoutBoundary",
        Effect: "Deny",
        Action: bounded,
        Resource: "*",
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": BOUNDARY } },
      });
      for (const a of bounded) {
        expect({ a, without: allowedBy(statements, a, prefixRole) }).toEqual({ a, without: false });
        expect({ a, other: allowedBy(statements, a, prefixRole, { "iam:PermissionsBoundary": iamArn("policy/AdministratorAccess") }) }).toEqual({ a, other: false });
      }
      expect(allowedBy(statements, "iam:CreateRole", prefixRole, { "iam:PermissionsBoundary": BOUNDARY })).toBe(true);
    });

    it("denies removing a boundary and changing or deleting the boundary policy, in the role and in the boundary", () => {
      for (const set of [statements, boundary.statements]) {
        const deny = (sid: string) => set.find((s) => s.Sid === sid)!;
        expect(deny("IamNeverRemoveBoundaries")).toMatchObject({ Effect: "Deny", Action: expect.arrayContaining(["iam:DeleteRolePermissionsBoundary"]), Resource: "*" });
        expect(deny("IamNeverChangeBoundary")).toEqual({
          Sid: "IamNeverChangeBoundary",
          Effect: "Deny",
          Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
          Resource: BOUNDARY,
        });
        for (const a of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion"]) {
          expect({ a, allowed: allowedBy(set, a, BOUNDARY) }).toEqual({ a, allowed: false });
        }
        expect(allowedBy(set, "iam:DeleteRolePermissionsBoundary", prefixRole, { "iam:PermissionsBoundary": BOUNDARY })).toBe(false);
      }
    });

    it("caps a role created under it, even one given Action \"*\" on Resource \"*\": no iam:* or *:*, no IAM users or keys, no role without the boundary", () => {
      // Effective permissions = identity policy AND boundary; with an identity policy of "*" on "*", the boundary alone decides.
      for (const s of boundary.statements.filter((x) => x.Effect === "Allow")) {
        expect((s as unknown as Record<string, unknown>).NotAction).toBeUndefined();
        for (const a of list(s.Action)) {
          expect(a).not.toBe("*");
          expect(a.toLowerCase()).not.toMatch(/^iam:(\*|create\*|put\*|attach\*|update\*|delete\*)$/);
        }
      }
      const denied: Array<[string, string, RequestContext?]> = [
        ["iam:CreateUser", iamArn("user/attacker")],
        ["iam:CreateAccessKey", iamArn("user/admin")],
        ["iam:PutUserPolicy", iamArn("user/admin")],
        ["iam:AttachUserPolicy", iamArn("user/admin")],
        ["iam:AddUserToGroup", iamArn("group/admins")],
        ["iam:CreateRole", prefixRole],
        ["iam:CreateRole", iamArn("role/other-team-role"), { "iam:PermissionsBoundary": BOUNDARY }],
        ["iam:AttachRolePolicy", prefixRole, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
        ["iam:PutRolePolicy", prefixRole],
        ["iam:PutRolePermissionsBoundary", prefixRole, { "iam:PermissionsBoundary": iamArn("policy/ml-prod-wide-open") }],
        ["iam:DeleteRolePermissionsBoundary", prefixRole, { "iam:PermissionsBoundary": BOUNDARY }],
        ["iam:CreatePolicyVersion", BOUNDARY],
        ["iam:UpdateAssumeRolePolicy", iamArn("role/OrganizationAccountAccessRole")],
        ["iam:PassRole", prefixRole, { "iam:PassedToService": "lambda.amazonaws.com" }],
        ["organizations:LeaveOrganization", "*"],
        ["lambda:CreateFunction", "*"],
        ["account:CloseAccount", "*"],
      ];
      const wrong = denied.filter(([a, r, ctx]) => allowedBy(boundary.statements, a, r, ctx ?? {})).map(([a, r]) => `${a} on ${r}`);
      expect(wrong).toEqual([]);
      // And what stays allowed is bounded: a new role only under this same boundary.
      expect(allowedBy(boundary.statements, "iam:CreateRole", prefixRole, { "iam:PermissionsBoundary": BOUNDARY })).toBe(true);
    });

    it("admits everything the deploy role's own policies allow, so the role works under it", () => {
      const missing: string[] = [];
      for (const s of allows) {
        // The request carries the values the statement's conditions require.
        const context: RequestContext = Object.fromEntries(Object.values(s.Condition ?? {}).flatMap((byKey) => Object.entries(byKey).map(([k, v]) => [k, String(list(v as string | string[])[0])])));
        for (const a of list(s.Action)) {
          for (const r of list(s.Resource)) if (!allowedBy(boundary.statements, a, r, context)) missing.push(`${s.Sid}: ${a} on ${r}`);
        }
      }
      expect(missing).toEqual([]);
    });
  });

  it("appends the additional statements", () => {
    expect(statement("LockState")).toMatchObject({ Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] });
  });

  it("outputs the role ARN for role-to-assume", () => {
    expect(Object.values(json.output ?? {})).toEqual([expect.objectContaining({ value: expect.stringMatching(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/) })]);
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});

describe("GithubDeployRole's compliance suppressions", () => {
  it("cover only the library's own policies: the user's additionalStatements get a policy of their own that the packs judge", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "deploy", {
      repository: REPO,
      branches: ["main"],
      resourceNamePrefix: "ml-prod",
      oidcProviderArn: GITHUB_PROVIDER,
      // Over-broad on purpose: unconstrained writes on every resource.
      additionalStatements: [{ sid: "TooBroad", actions: ["s3:PutObject", "dynamodb:PutItem"], resources: ["*"] }],
    });
    const policies = Object.values(resourcesOf(synth(stack).json, "aws_iam_policy")).filter((p) => !isBoundary(p));
    const own = policies.filter((p) => (JSON.parse(p.policy).Statement as Statement[]).some((st) => st.Sid === "TooBroad"));
    expect(own).toHaveLength(1);
    expect(JSON.parse(own[0].policy).Statement.map((st: Statement) => st.Sid)).toEqual(["TooBroad"]);
    const report = Compliance.evaluate(stack, Compliance.SOC2);
    const open = report.findings.filter((f) => f.ruleId === "IamNoUnconstrainedWrite" || f.ruleId === "IamNoStarResourceForRestrictableActions");
    // Found on the user's policy, not silenced by the library's reasoned suppressions of its own statements.
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((f) => f.path.includes("/deploy/policy-"))).toBe(true);
    expect(report.suppressedFindings.every((f) => !open.some((o) => o.address === f.address))).toBe(true);
  });
});

describe("GithubDeployRole read-only for plans on pull requests", () => {
  const stack = awsStack();
  new GithubDeployRole(stack, "plan", {
    repository: REPO,
    pullRequests: true,
    readOnly: true,
    resourceNamePrefix: "ml-prod",
    oidcProviderArn: GITHUB_PROVIDER,
  });
  const { raw, json } = synth(stack);
  const statements = statementsOf(json);

  it("trusts pull requests of the repository through the existing provider", () => {
    expect(trustOf(json)).toEqual([expect.objectContaining({
      Principal: { Federated: GITHUB_PROVIDER },
      Condition: { StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: ["repo:octo-org/ml-platform:pull_request"] } },
    })]);
  });

  it("creates no OIDC provider when given one", () => {
    expect(resourcesOf(json, "aws_iam_openid_connect_provider")).toEqual({});
  });

  it("only reads: no action creates, changes or deletes anything", () => {
    const writes = /:(Create|Delete|Put|Update|Attach|Detach|Modify|Tag|Untag|Pass|Schedule|Enable|Associate|Disassociate|Authorize|Revoke|Run|Start|Stop|Set|Subscribe|Unsubscribe|Allocate|Release|Replace|Encrypt)/;
    for (const s of statements.filter((x) => x.Effect === "Allow")) {
      for (const a of list(s.Action)) expect(a).not.toMatch(writes);
    }
    expect(statements.filter((x) => x.Effect === "Deny").map((x) => x.Sid)).toEqual(["NeverReadSecretValues", "NeverDecryptThroughSecretsManager"]);
  });

  it("reads RDS metadata and the LiteLLM database's tags, never RDS-managed secrets or logs", () => {
    const rds = statements.filter((s) => list(s.Action).some((a) => a.startsWith("rds:")));
    expect(rds.map((s) => [s.Sid, s.Action])).toEqual([["RdsRead", "rds:Describe*"], ["RdsReadTags", "rds:ListTagsForResource"]]);
    for (const r of list(rds[1].Resource)) expect(r).toMatch(/:rds:\*:.*:(db|subgrp|pg|snapshot):ml-prod\*$/);
    // The provider reads master_user_secret from DescribeDBInstances; log files (Download*) are not read.
    expect(statements.flatMap((s) => list(s.Resource)).filter((r) => r.includes(":secret:rds!"))).toEqual([]);
    expect(statements.flatMap((s) => list(s.Action)).filter((a) => /^rds:Download/.test(a))).toEqual([]);
  });

  it("never reads secret values: no GetSecretValue and no KMS decryption through Secrets Manager, each also denied outright", () => {
    const allows = statements.filter((s) => s.Effect === "Allow");
    const secretsArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ml-prod/router/master-key-AbCdEf";
    for (const a of ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"]) {
      expect(allows.filter((s) => list(s.Action).some((x) => globMatches(x, a, true))).map((s) => s.Sid)).toEqual([]);
      expect(allowedBy(statements, a, secretsArn)).toBe(false);
    }
    const viaSecretsManager = allows.filter((s) => list(s.Action).some((x) => globMatches(x, "kms:Decrypt", true)) && JSON.stringify(s.Condition ?? {}).includes("secretsmanager"));
    expect(viaSecretsManager.map((s) => s.Sid)).toEqual([]);
    expect(allowedBy(statements, "kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1", { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" })).toBe(false);
    // What a plan reads of a secret: metadata and policy.
    expect(list(statements.find((s) => s.Sid === "SecretsManagerReadMetadata")!.Action)).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds"]);
  });

  it("carries no permissions boundary of its own (it creates nothing)", () => {
    expect(onlyResource(json, "aws_iam_role").permissions_boundary).toBeUndefined();
    expect(Object.values(resourcesOf(json, "aws_iam_policy")).filter(isBoundary)).toEqual([]);
  });

  it("reads bucket configuration, never objects", () => {
    const s3 = statements.flatMap((s) => list(s.Action)).filter((a) => a.startsWith("s3:"));
    expect(s3.length).toBeGreaterThan(0);
    expect(s3).not.toContain("s3:GetObject");
    expect(s3).not.toContain("s3:Get*");
  });

  it("fits one policy and names itself as a plan role", () => {
    expect(policyStrings(json)).toHaveLength(1);
    expect(raw).toHaveResourceWithProperties(IamRole, { name_prefix: "github-plan-ml-prod-" });
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});

describe("GithubDeployRole subjects", () => {
  it("uses StringLike for branch patterns, keeping the audience exact", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "release", { repository: REPO, branches: ["main", "release/*"], resourceNamePrefix: "ml-prod" });
    expect(trustOf(synth(stack).json)[0].Condition).toEqual({
      StringEquals: { [AUD]: "sts.amazonaws.com" },
      StringLike: { [SUB]: ["repo:octo-org/ml-platform:ref:refs/heads/main", "repo:octo-org/ml-platform:ref:refs/heads/release/*"] },
    });
  });

  it("accepts GitHub's immutable owner@id/name@id form and encodes \":\" in environment names as GitHub does", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "immutable", { repository: "octo-org@123456/ml-platform@456789", environments: ["prod:eu"], resourceNamePrefix: "ml-prod" });
    expect(trustOf(synth(stack).json)[0].Condition!.StringEquals[SUB]).toEqual(["repo:octo-org@123456/ml-platform@456789:environment:prod%3Aeu"]);
  });

  it("turns a StateBackend's access policy into additional statements", () => {
    const stack = awsStack();
    const backend = new StateBackend(stack, "state", { bucketName: "acme-ml-tfstate", region: "us-east-1" });
    new GithubDeployRole(stack, "deploy", {
      repository: REPO,
      branches: ["main"],
      resourceNamePrefix: "ml-prod",
      additionalStatements: [...backend.accessPolicyDocument(["ml/prod.tfstate"]).statements],
    });
    const policies = policyStrings(synth(stack).json).filter((p) => p.includes("ReadWriteState"));
    expect(policies).toHaveLength(1);
    const s = JSON.parse(policies[0]).Statement.find((x: Statement) => x.Sid === "EncryptState");
    expect(s).toMatchObject({ Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: expect.stringMatching(/^\$\{aws_kms_key\./) });
    for (const p of policyStrings(synth(stack).json)) expect(resolvedLength(p)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
  });

  it("follows the names the library writes: roles on 16 characters, buckets on 20 and the trail on 34, lower-cased", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "long", { repository: REPO, branches: ["main"], resourceNamePrefix: "ML-Production-East-Cluster" });
    const all = statementsOf(synth(stack).json);
    expect(all.find((s) => s.Sid === "IamManageRoles")!.Resource).toMatch(/:role\/ML-Production-Ea\*$/);
    expect(all.find((s) => s.Sid === "S3ManageBuckets")!.Resource).toMatch(/:s3:::ml-production-east-c\*$/);
    expect(all.find((s) => s.Sid === "CloudTrailManageTrails")!.Resource).toMatch(/:trail\/ml-production-east-cluster\*$/);
    expect(list(all.find((s) => s.Sid === "KmsManageAliases")!.Resource)).toEqual([
      expect.stringMatching(/:alias\/ML-Production-East-Cluster\*$/),
      expect.stringMatching(/:alias\/ml-production-east-cluster\*$/),
      expect.stringMatching(/:key\/\*$/),
    ]);
    // A router's response cache on that cluster has ids the deploy role may manage.
    const cacheId = datastoreIdBase("ML-Production-East-Cluster", "serving/router");
    expect(cacheId).toMatch(/^ml-production-east-c-[0-9a-f]{8}$/);
    expect(list(all.find((s) => s.Sid === "ElastiCacheManageResponseCaches")!.Resource)).toContainEqual(expect.stringMatching(/:replicationgroup:ml-production-east-c\*$/));
    // The LiteLLM database uses the same 20-character prefix: "<prefix>-<hash8>-litellm", exporting logs to
    // "/aws/rds/instance/<identifier>/postgresql", which the cluster-name patterns would not cover.
    const identifier = `${cacheId}-litellm`;
    const matches = (pattern: string, name: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(name);
    const database = list(all.find((s) => s.Sid === "RdsManageLitellmDatabases")!.Resource).map((r) => r.replace(/^.*:rds:\*:[^:]+:/, ""));
    for (const name of [`db:${identifier}`, `subgrp:${identifier}`, `pg:${identifier}-pg17`, `snapshot:${identifier}-final`]) {
      expect(database.some((r) => matches(r, name))).toBe(true);
    }
    const logs = list(all.find((s) => s.Sid === "LogsManageLogGroups")!.Resource).map((r) => r.replace(/^.*:log-group:/, "log-group:"));
    expect(logs.some((r) => matches(r, `log-group:/aws/rds/instance/${identifier}/postgresql:*`))).toBe(true);
    expect(logs.filter((r) => !r.includes("/aws/rds/")).some((r) => matches(r, `log-group:/aws/rds/instance/${identifier}/postgresql:*`))).toBe(false);
  });
});

describe("GithubDeployRole validation", () => {
  const make = (props: Partial<GithubDeployRoleProps>) => () =>
    new GithubDeployRole(awsStack(), "ci", { repository: REPO, branches: ["main"], resourceNamePrefix: "ml-prod", ...props } as GithubDeployRoleProps);

  it("rejects a repository that is not owner/name", () => {
    expect(make({ repository: "ml-platform" })).toThrow(/repository: "ml-platform" must be "owner\/name"/);
    expect(make({ repository: "-octo/ml" })).toThrow(/repository: "-octo\/ml" must be "owner\/name"/);
    expect(make({ repository: "octo-org/ml platform" })).toThrow(/must be "owner\/name"/);
    expect(make({ repository: "octo-org/.." })).toThrow(/names "\." or "\.\."/);
  });

  it("requires branches, environments or pull requests", () => {
    expect(make({ branches: [] })).toThrow(/branches: none of branches, environments or pullRequests is given/);
  });

  it("rejects a bare \"*\" branch and refs given as branches", () => {
    expect(make({ branches: ["*"] })).toThrow(/branches: "\*" would let every branch/);
    expect(make({ branches: ["refs/heads/main"] })).toThrow(/branches: "refs\/heads\/main" is a ref, not a branch name/);
    expect(make({ environments: ["prod*"] })).toThrow(/environments: "prod\*" contains a wildcard/);
  });

  it("accepts a fixed role name outside the managed prefix, and refuses one that is not", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "ci", { repository: REPO, branches: ["main"], resourceNamePrefix: "ml-prod", roleName: "github-deploy-ml-prod" });
    const role = onlyResource(synth(stack).json, "aws_iam_role");
    expect(role.name).toBe("github-deploy-ml-prod");
    expect(role.name_prefix).toBeUndefined();
    expect(make({ roleName: "ml-prod-ci" })).toThrow(/roleName: "ml-prod-ci" must be an IAM role name of at most 64 characters starting with "github-deploy-"/);
    expect(make({ roleName: "github-deploy-x", readOnly: true })).toThrow(/starting with "github-plan-"/);
  });

  it("refuses to let pull requests assume a deploy role", () => {
    expect(make({ pullRequests: true })).toThrow(/pullRequests: a deploy role must not trust pull requests.*use readOnly: true for plan on pull requests/);
  });

  it("rejects a session outside 1 to 12 hours", () => {
    expect(make({ maxSessionDurationSeconds: 900 })).toThrow(/maxSessionDurationSeconds: 900 must be a whole number of seconds from 3600/);
    expect(make({ maxSessionDurationSeconds: 43201 })).toThrow(/maxSessionDurationSeconds: 43201 must be/);
  });

  it("rejects a resource prefix that is not a name, or that would cover the role itself", () => {
    expect(make({ resourceNamePrefix: "1ml" })).toThrow(/resourceNamePrefix: "1ml" must be 1 to 40 letters, digits or "-", starting with a letter/);
    expect(make({ resourceNamePrefix: "ml_prod" })).toThrow(/resourceNamePrefix: "ml_prod" must be/);
    expect(make({ resourceNamePrefix: "x".repeat(41) })).toThrow(/resourceNamePrefix: "x{41}" must be/);
    expect(make({ resourceNamePrefix: "GitHub" })).toThrow(/resourceNamePrefix: "GitHub" also covers this role's own name \("github-deploy-GitHub-\.\.\."/);
  });

  it("rejects an OIDC provider that is not GitHub's", () => {
    expect(make({ oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC" })).toThrow(/oidcProviderArn: .* is not the ARN of GitHub's OIDC provider/);
  });

  it("rejects additional statements that grant whole services, carry principals or repeat a sid", () => {
    expect(make({ additionalStatements: [{ sid: "Everything", actions: ["s3:*"], resources: ["*"] }] })).toThrow(/additionalStatements\[0\]\.actions: \["s3:\*"\] allows every action of a service/);
    expect(make({ additionalStatements: [{ sid: "Trust", actions: ["sts:AssumeRole"], resources: ["*"], principals: { AWS: ["arn:aws:iam::111122223333:root"] } }] })).toThrow(/additionalStatements\[0\]\.principals: identity policies have no Principal/);
    expect(make({ additionalStatements: [{ sid: "StsIdentity", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/k"] }] })).toThrow(/additionalStatements\[0\]\.sid: "StsIdentity" is already used/);
  });

  it("rejects a second OIDC provider for GitHub in the same stack", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "deploy", { repository: REPO, branches: ["main"], resourceNamePrefix: "ml-prod" });
    expect(() => new GithubDeployRole(stack, "plan", { repository: REPO, pullRequests: true, readOnly: true, resourceNamePrefix: "ml-prod" })).toThrow(
      /oidcProviderArn: test\/deploy already creates GitHub's OIDC provider/,
    );
  });

  it("reports every problem at once, naming the construct", () => {
    expect(make({ repository: "nope", branches: ["*"], pullRequests: true, maxSessionDurationSeconds: 60, resourceNamePrefix: "-x" })).toThrow(
      new RegExp(
        [
          "test/ci: invalid GithubDeployRole props \\(5 problems\\)",
          "- repository: \"nope\"",
          "- branches: \"\\*\"",
          "- pullRequests: a deploy role must not trust pull requests",
          "- maxSessionDurationSeconds: 60",
          "- resourceNamePrefix: \"-x\"",
        ].join("[\\s\\S]*"),
      ),
    );
  });

  it("validates statically with a property prefix", () => {
    expect(GithubDeployRole.validate({ repository: REPO, resourceNamePrefix: "ml-prod", readOnly: true }, "ci.")).toEqual([
      expect.stringMatching(/^ci\.branches: none of branches/),
    ]);
  });
});

describe("GithubDeployRole never reaches bucket objects or writes state from a plan", () => {
  it("limits S3 to bucket-level actions (no object reads, writes or deletes)", () => {
    const stack = awsStack();
    new GithubDeployRole(stack, "deploy", { repository: "example-org/ml-platform", branches: ["main"], resourceNamePrefix: "ml-prod" });
    const s3 = statementsOf(synth(stack).json).filter((s) => [s.Action].flat().some((a) => a.startsWith("s3:")));
    const actions = s3.flatMap((s) => [s.Action].flat());
    expect(actions).not.toEqual(expect.arrayContaining([expect.stringMatching(/^s3:(Get|Put|Delete)Object|^s3:(Get|Put|Delete)\*$/)]));
  });

  it.each([
    ["read secret values", { sid: "ReadKeys", actions: ["secretsmanager:GetSecretValue"], resources: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:ml-prod/*"] }, /additionalStatements: statement "ReadKeys" lets a read-only role read secret values \(secretsmanager:GetSecretValue\)/],
    ["write state", { sid: "WriteState", actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::state/platform.tfstate"] }, /additionalStatements: statement "WriteState" lets a read-only role write \(s3:PutObject\); use StateBackend\.accessPolicyDocument\(keys, \{ readOnly: true \}\)/],
  ])("refuses a read-only role whose extra statements %s", (_what, statement, message) => {
    expect(() =>
      new GithubDeployRole(awsStack(), "plan", { repository: "example-org/ml-platform", pullRequests: true, readOnly: true, resourceNamePrefix: "ml-prod", additionalStatements: [statement] }),
    ).toThrow(message);
  });
});

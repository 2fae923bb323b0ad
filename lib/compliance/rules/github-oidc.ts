import { ComplianceRule, Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { blocks, isSet } from "../private/attributes";
import { actionCovers, documentStatements, Statement, readPolicyStatements, statementsOf } from "../private/policy";

/*
 * GitHub Actions OIDC trust scoping, as checkov judges it: bridgecrewio/checkov@03d5fdad
 * checkov/terraform/checks/resource/aws/GithubActionsOIDCTrustPolicyOnRole.py (CKV_AWS_393, aws_iam_role.assume_role_policy),
 * checkov/terraform/checks/data/aws/GithubActionsOIDCTrustPolicy.py (CKV_AWS_358, data aws_iam_policy_document, read here through the
 * role that references it), with the patterns of checkov/common/util/oidc_utils.py.
 */

const GH_OIDC_PROVIDER = "oidc-provider/token.actions.githubusercontent.com";
/** oidc_utils.gh_sub_condition: the sub claim of github.com or of a GHE tenant (token.actions.githubusercontent.com/<slug>). */
const SUB_CONDITION = /^token\.actions\.githubusercontent\.com(?:\/[a-zA-Z0-9_-]+)?:sub$/;
/** oidc_utils.gh_abusable_claims: claims any repository can assert, so they must not lead the sub. */
const ABUSABLE_CLAIMS = ["workflow", "environment", "ref", "context", "head_ref", "base_ref"];
/** oidc_utils.gh_repo_regex: "owner/repo" (or a ${...} owner). */
const REPO = /^(\$\{)?[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*(\})?\/[^/]+/;

const trustsGithub = (s: Statement): boolean => (s.principals.Federated ?? []).some((f) => f.includes(GH_OIDC_PROVIDER));

/** Why a sub value admits workflows of other repositories, or undefined when it names one repository (checkov's order). */
function unsafeSub(value: string): string | undefined {
  if (value === "*") return "is \"*\"";
  const claims = value.split(":");
  if (claims.length === 1) return "names a claim without a value";
  if (claims[1] === "*") return `asserts "${claims[0]}:*"`;
  const abusable = ABUSABLE_CLAIMS.find((c) => claims[0].startsWith(c));
  if (abusable) return `starts with the "${claims[0]}" claim, which any repository can assert`;
  if (claims[0] === "repo" && !REPO.test(claims[1])) return `does not name an owner/repository after "repo:"`;
  return undefined;
}

/** Roles that GitHub Actions assume trust named repositories only. */
export const GithubOidcTrustScoped = {
  id: "GithubOidcTrustScoped",
  description: "Trust statements for GitHub's OIDC provider constrain token.actions.githubusercontent.com:sub to named repositories (\"repo:<owner>/<repo>:...\").",
  explanation:
    "Every GitHub Actions workflow in the world can get a token from token.actions.githubusercontent.com. A trust policy that does not " +
    "pin the sub claim to an owner/repository (or pins it to \"*\", a bare claim, or a claim such as workflow, environment or ref that " +
    "any repository can assert) lets workflows of other repositories assume the role.",
  resourceTypes: ["aws_iam_role"],
  // A document that a role of the stack uses as its trust policy is judged through the role; others on their own, as checkov's
  // CKV_AWS_358 judges every data.aws_iam_policy_document.
  dataSourceTypes: ["aws_iam_policy_document"],
  checkov: ["CKV_AWS_393", "CKV_AWS_358"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    let statements: Statement[] | undefined;
    if (resource.mode === "data") {
      if (stack.ofType("aws_iam_role").some((r) => stack.refersTo(r.config.assume_role_policy, resource))) return Outcome.notApplicable();
      statements = documentStatements(stack, resource);
    } else {
      const policy = resource.config.assume_role_policy;
      if (!isSet(policy)) return Outcome.notApplicable();
      statements = readPolicyStatements(stack, policy);
    }
    if (!statements) return Outcome.notApplicable();
    const github = statements.map((s, i) => ({ s, i })).filter(({ s }) => s.effect === "Allow" && trustsGithub(s));
    if (github.length === 0) return Outcome.notApplicable();
    const problems: string[] = [];
    for (const { s, i } of github) {
      const name = s.sid ? `"${s.sid}"` : `#${i + 1}`;
      const subs = Object.values(s.conditions).flatMap((byKey) => Object.entries(byKey).filter(([k]) => SUB_CONDITION.test(k)).flatMap(([, v]) => v));
      if (subs.length === 0) {
        problems.push(`statement ${name} trusts GitHub's OIDC provider without a token.actions.githubusercontent.com:sub condition`);
        continue;
      }
      for (const v of subs) {
        const why = unsafeSub(v);
        if (why) problems.push(`statement ${name} sub ${JSON.stringify(v)} ${why}`);
      }
    }
    if (problems.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(`${problems.join("; ")}; constrain token.actions.githubusercontent.com:sub to "repo:<owner>/<repo>:ref:refs/heads/<branch>" (or :environment:<name>, :pull_request).`);
  },
} as const satisfies ComplianceRule;

/** Actions whose responses carry a secret's value (Secrets Manager API Reference: GetSecretValue, BatchGetSecretValue). */
const SECRET_VALUE_ACTIONS = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"];

/** True when a sub pattern (StringEquals value or StringLike pattern) admits a pull request's token ("repo:<owner>/<repo>:pull_request"). */
function admitsPullRequests(value: string): boolean {
  if (value.endsWith(":pull_request")) return true;
  if (!value.includes("*") && !value.includes("?")) return false;
  const re = new RegExp(`^${value.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test("repo:o/r:pull_request") || re.test(`${value.split(":").slice(0, 2).join(":")}:pull_request`);
}

/** True when a Deny statement of the policies covers `action` on every resource. */
const denied = (statements: readonly Statement[], action: string): boolean =>
  statements.some((s) => s.effect === "Deny" && s.resources.some((r) => r.trim() === "*") && Object.keys(s.conditions).length === 0 && s.actions.some((p) => actionCovers(p, action)));

/** True when a Deny statement takes back kms:Decrypt through Secrets Manager (kms:ViaService secretsmanager.*), or kms:Decrypt altogether. */
const deniesDecryptThroughSecretsManager = (statements: readonly Statement[]): boolean =>
  statements.some((s) => {
    if (s.effect !== "Deny" || !s.actions.some((p) => actionCovers(p, "kms:Decrypt"))) return false;
    const via = Object.values(s.conditions).flatMap((byKey) => Object.entries(byKey).filter(([k]) => k.toLowerCase() === "kms:viaservice").flatMap(([, v]) => v));
    return via.length > 0 && via.every((v) => v.startsWith("secretsmanager."));
  });

/** The identity policies a role holds in the stack: inline (attribute or aws_iam_role_policy) and attached managed ones. */
function rolePolicies(role: ResourceView, stack: StackView): Statement[] | undefined {
  const out: Statement[] = [];
  const add = (value: unknown): boolean => {
    const statements = readPolicyStatements(stack, value);
    if (!statements) return false;
    out.push(...statements);
    return true;
  };
  for (const inline of blocks(role.config.inline_policy)) if (inline.policy !== undefined && !add(inline.policy)) return undefined;
  for (const p of stack.attachedTo("aws_iam_role_policy", "role", role, role.config.name)) if (!add(p.config.policy)) return undefined;
  for (const a of stack.attachedTo("aws_iam_role_policy_attachment", "role", role, role.config.name)) {
    const policy = stack.ofType("aws_iam_policy").find((p) => stack.refersTo(a.config.policy_arn, p));
    // An AWS managed or other stack's policy: not readable here (the library attaches none to CI roles).
    if (policy && !add(policy.config.policy)) return undefined;
  }
  return out;
}

/**
 * A role that pull-request workflows may assume cannot read secret values. The workflow file and code of a
 * pull request run with the role, so anyone who can push a branch could print every secret it reads.
 */
export const IamPullRequestRoleNoSecretValues = {
  id: "IamPullRequestRoleNoSecretValues",
  description: "A role trusted by GitHub pull-request tokens (sub \"...:pull_request\") is not allowed secretsmanager:GetSecretValue, BatchGetSecretValue, or kms:Decrypt through Secrets Manager.",
  explanation:
    "A pull request runs its own workflow file and code with the role it assumes: whoever can push a branch controls what the job " +
    "does with the role's permissions. A plan role that may read secret values hands every secret it can read (API keys, database " +
    "passwords) to any contributor. Plan without secret values, and deny them explicitly.",
  resourceTypes: ["aws_iam_role"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const trust = statementsOf(resource.config.assume_role_policy);
    if (!trust) return Outcome.notApplicable();
    const subs = trust
      // The sub key names GitHub's issuer, also when the provider is a reference (${aws_iam_openid_connect_provider...}).
      .filter((t) => t.effect === "Allow")
      .flatMap((t) => Object.values(t.conditions).flatMap((byKey) => Object.entries(byKey).filter(([k]) => SUB_CONDITION.test(k)).flatMap(([, v]) => v)));
    if (!subs.some(admitsPullRequests)) return Outcome.notApplicable();
    const statements = rolePolicies(resource, stack);
    if (!statements) return Outcome.nonCompliant("trusts pull requests, and one of its policies cannot be read at synth time, so it cannot be shown to read no secret values; write its policies literally");
    const reads = SECRET_VALUE_ACTIONS.filter(
      (action) => statements.some((s) => s.effect === "Allow" && s.actions.some((p) => actionCovers(p, action))) && !denied(statements, action),
    );
    const decrypt = statements.some(
      (s) =>
        s.effect === "Allow" &&
        s.actions.some((p) => actionCovers(p, "kms:Decrypt")) &&
        (() => {
          const via = Object.values(s.conditions).flatMap((byKey) => Object.entries(byKey).filter(([k]) => k.toLowerCase() === "kms:viaservice").flatMap(([, v]) => v));
          return via.length === 0 || via.some((v) => v.startsWith("secretsmanager.") || v.startsWith("*"));
        })(),
    ) && !denied(statements, "kms:Decrypt") && !deniesDecryptThroughSecretsManager(statements);
    const found = [...reads, ...(decrypt ? ["kms:Decrypt (not limited to a service other than Secrets Manager)"] : [])];
    return found.length
      ? Outcome.nonCompliant(`trusts pull-request tokens but allows ${found.join(", ")}; a pull request's own workflow could print the secrets: remove them, and deny secretsmanager:GetSecretValue and BatchGetSecretValue explicitly`)
      : Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** Rules over GitHub Actions OIDC trust. */
export const GITHUB_OIDC_RULES = [GithubOidcTrustScoped, IamPullRequestRoleNoSecretValues] as const satisfies readonly ComplianceRule[];

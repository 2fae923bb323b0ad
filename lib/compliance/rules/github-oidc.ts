import { ComplianceRule, Outcome, RuleOutcome } from "../rule-model";
import { isSet } from "../private/attributes";
import { Statement, readPolicyStatements } from "../private/policy";

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
  checkov: ["CKV_AWS_393", "CKV_AWS_358"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const policy = resource.config.assume_role_policy;
    if (!isSet(policy)) return Outcome.notApplicable();
    const statements = readPolicyStatements(stack, policy);
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

/** Rules over GitHub Actions OIDC trust. */
export const GITHUB_OIDC_RULES = [GithubOidcTrustScoped] as const satisfies readonly ComplianceRule[];

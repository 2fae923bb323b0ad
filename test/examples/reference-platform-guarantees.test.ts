import { buildReferencePlatform } from "../../examples/reference-platform/main";
import { expectValidCustomResources, manifestsOf } from "../harness/k8s-schemas";
import { synthApp } from "../harness/offline-terraform";
import { parseTemplateJson } from "../util";

/** Stack-wide guarantees of the security baseline, asserted over every resource of the reference platform. */
describe("examples/reference-platform security baseline", () => {
  const stacks = synthApp((app) => buildReferencePlatform(app)).stacks;
  // Every resource of every stack (bootstrap and platform), by type.
  const resources = (type: string): Array<[string, Record<string, any>]> => stacks.flatMap((s) => Object.entries(s.json.resource?.[type] ?? {})); // eslint-disable-line @typescript-eslint/no-explicit-any
  type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: Record<string, string | string[]>; Condition?: Record<string, Record<string, unknown>> };
  const statementsOf = (doc: string): Statement[] => parseTemplateJson(doc).Statement;
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  it("requires MFA in the trust policy of every role a person can assume, and trusts no wildcard principal", () => {
    const human = resources("aws_iam_role").filter(([, r]) => statementsOf(r.assume_role_policy).some((s) => s.Principal?.AWS && !/aws_iam_role\./.test(String(s.Principal.AWS))));
    expect(human.length).toBe(4);
    // Exactly the principals the example lists, per role.
    const listed: Record<string, string[]> = {
      admins: ["arn:aws:iam::123456789012:role/platform-admins"],
      viewers: ["arn:aws:iam::123456789012:role/ml-engineers"],
      breakGlass: ["arn:aws:iam::123456789012:role/security-officers"],
      operators: ["arn:${data.aws_partition.*.partition}:iam::123456789012:root"],
    };
    for (const [, role] of human) {
      const expected = listed[role.tags["secure-inference/access"]];
      const principals = statementsOf(role.assume_role_policy).flatMap((s) => list(s.Principal?.AWS)).map((p) => p.replace(/data\.aws_partition\.\w+\./, "data.aws_partition.*."));
      expect(principals).toEqual(expected);
      for (const s of statementsOf(role.assume_role_policy)) {
        expect(list(s.Principal?.AWS)).not.toContain("*");
        expect(s.Condition?.Bool).toEqual({ "aws:MultiFactorAuthPresent": "true" });
        expect(Number((s.Condition?.NumericLessThan as Record<string, string>)["aws:MultiFactorAuthAge"])).toBeLessThanOrEqual(3600);
      }
    }
  });

  it("has no IAM policy that allows every action, or a whole service, on every resource (a permissions boundary, which grants nothing, aside)", () => {
    const boundaries = new Set(resources("aws_iam_role").map(([, r]) => r.permissions_boundary).filter((b) => b !== undefined));
    const docs = [
      ...resources("aws_iam_policy")
        .filter(([id]) => ![...boundaries].some((b) => String(b).includes(`aws_iam_policy.${id}.arn`)))
        .map(([, p]) => p.policy),
      ...resources("aws_iam_role_policy").map(([, p]) => p.policy),
    ];
    expect(docs.length).toBeGreaterThan(5);
    for (const s of docs.flatMap(statementsOf).filter((x) => x.Effect === "Allow")) {
      const actions = list(s.Action);
      expect(actions).not.toContain("*");
      if (list(s.Resource).includes("*")) expect(actions.filter((a) => /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    }
    expect(resources("aws_iam_role_policy")).toEqual([]);
  });

  it("gives every bucket the SecureBucket defaults", () => {
    const buckets = resources("aws_s3_bucket").map(([id]) => id);
    expect(buckets.length).toBe(5); // platform: access logs, models, audit; bootstrap: state and its access logs
    const forBucket = (type: string) => resources(type).map(([, r]) => String(r.bucket));
    const covered = (type: string) => buckets.every((id) => forBucket(type).some((b) => b.includes(`aws_s3_bucket.${id}.`)));
    for (const type of ["aws_s3_bucket_public_access_block", "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy", "aws_s3_bucket_lifecycle_configuration"]) {
      expect({ type, covered: covered(type) }).toEqual({ type, covered: true });
    }
    for (const [, b] of resources("aws_s3_bucket_public_access_block")) expect(b).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    for (const [, v] of resources("aws_s3_bucket_versioning")) expect(v.versioning_configuration.status).toBe("Enabled");
    for (const [, o] of resources("aws_s3_bucket_ownership_controls")) expect(o.rule.object_ownership).toBe("BucketOwnerEnforced");
    for (const [, p] of resources("aws_s3_bucket_policy")) {
      expect(statementsOf(p.policy)).toContainEqual(expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
    }
    // Every bucket but the access-log buckets logs its access, into an access-log bucket.
    const logBuckets = resources("aws_s3_bucket").filter(([, b]) => b.tags?.["secure-inference/data-class"] === "access-logs").map(([id]) => id);
    expect(logBuckets).toHaveLength(2);
    const logging = resources("aws_s3_bucket_logging");
    expect(logging).toHaveLength(3);
    for (const [, l] of logging) expect(logBuckets.some((id) => String(l.target_bucket).includes(`aws_s3_bucket.${id}.`))).toBe(true);
    // Customer-managed keys (never the AWS-managed aws/s3 key) with S3 bucket keys; SSE-S3 only where S3 log delivery requires it.
    const rules = resources("aws_s3_bucket_server_side_encryption_configuration").map(([, c]) => [c.rule].flat()[0]);
    const kms = rules.filter((r) => r.apply_server_side_encryption_by_default.sse_algorithm === "aws:kms");
    expect(kms).toHaveLength(3);
    for (const r of kms) {
      expect(r.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
      expect(r.bucket_key_enabled).toBe(true);
    }
    expect(rules.filter((r) => r.apply_server_side_encryption_by_default.sse_algorithm === "AES256")).toHaveLength(2);
    // Incomplete multipart uploads are always cleaned up.
    for (const [, lc] of resources("aws_s3_bucket_lifecycle_configuration")) {
      expect([lc.rule].flat().some((r) => r.abort_incomplete_multipart_upload?.days_after_initiation === 7 || [r.abort_incomplete_multipart_upload].flat()[0]?.days_after_initiation === 7)).toBe(true);
    }
    // The audit bucket, and only it, is under object lock.
    const locked = resources("aws_s3_bucket").filter(([, b]) => b.object_lock_enabled === true);
    expect(locked.map(([, b]) => b.tags["secure-inference/data-class"])).toEqual(["audit"]);
  });

  it("runs a multi-region trail with validation and KMS", () => {
    const [[, trail]] = resources("aws_cloudtrail");
    expect(trail).toMatchObject({ is_multi_region_trail: true, enable_log_file_validation: true, kms_key_id: expect.stringMatching(/aws_kms_key\./) });
  });

  it("encrypts every log group with a customer key and keeps it at least a year", () => {
    const groups = resources("aws_cloudwatch_log_group");
    expect(groups.map(([, g]) => g.name).sort()).toEqual([
      "/aws/cloudtrail/ml-prod-audit",
      "/aws/eks/ml-prod/cluster",
      // The router's LiteLLM database (PostgreSQL and upgrade logs).
      expect.stringMatching(/^\/aws\/rds\/instance\/ml-prod-[0-9a-f]{8}-litellm\/postgresql$/),
      expect.stringMatching(/^\/aws\/rds\/instance\/ml-prod-[0-9a-f]{8}-litellm\/upgrade$/),
      "/aws/vpc/ml-prod/flow-logs",
    ]);
    for (const [, g] of groups) {
      expect(g.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(g.retention_in_days).toBeGreaterThanOrEqual(365);
    }
  });

  it("trusts CI roles only for the repository's production environment (deploy, behind required reviewers) or its pull requests (read-only plan)", () => {
    const ci = resources("aws_iam_role").filter(([, r]) => statementsOf(r.assume_role_policy).some((s) => JSON.stringify(s.Condition ?? {}).includes("token.actions.githubusercontent.com")));
    expect(ci).toHaveLength(2);
    for (const [, role] of ci) {
      const [s] = statementsOf(role.assume_role_policy);
      expect(s.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(s.Condition?.StringEquals).toMatchObject({ "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": [expect.stringMatching(/^repo:example-org\/ml-platform:(environment:production|pull_request)$/)] });
    }
  });

  it("encrypts the SNS topic", () => {
    for (const [, t] of resources("aws_sns_topic")) expect(t.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  it("makes each controller and workload role assumable only by its own service account", () => {
    const workload = resources("aws_iam_role").filter(([, r]) => statementsOf(r.assume_role_policy).some((s) => list(s.Principal?.Service).includes("pods.eks.amazonaws.com") || JSON.stringify(s.Condition ?? {}).includes("system:serviceaccount:")));
    // LB controller, cluster-autoscaler, KEDA, EBS CSI, Argo Rollouts, the two endpoints' model readers, the router
    // and its two Jobs (database setup, teams).
    expect(workload.length).toBe(10);
    for (const [, role] of workload) {
      const [s] = statementsOf(role.assume_role_policy);
      const conditions = s.Condition?.StringEquals as Record<string, string>;
      if (s.Principal?.Federated) {
        // The cluster's own OIDC provider, the STS audience and one exact service account.
        expect(s.Principal.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\.ml_oidc-provider_\w+\.arn\}$/);
        expect(Object.entries(conditions).find(([k]) => k.endsWith(":aud"))?.[1]).toBe("sts.amazonaws.com");
        expect(Object.entries(conditions).find(([k]) => k.endsWith(":sub"))?.[1]).toMatch(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/);
      } else {
        expect(conditions["aws:RequestTag/kubernetes-namespace"]).toMatch(/^[a-z0-9-]+$/);
        expect(conditions["aws:RequestTag/kubernetes-service-account"]).toMatch(/^[a-z0-9-]+$/);
        // The cluster's ARN: a reference in its stack, remote state in the serving stack.
        expect(conditions["aws:RequestTag/eks-cluster-arn"]).toMatch(/aws_eks_cluster\.|terraform_remote_state\./);
      }
    }
  });
});

/** The serving stack: two canary endpoints whose custom resources pass their published schemas. */
describe("examples/reference-platform serving", () => {
  const { stacks } = synthApp((app) => buildReferencePlatform(app));
  const serving = stacks.find((s) => s.name === "serving")!.json;
  const manifests = manifestsOf(serving).map((m) => m.manifest);
  const rollout = (name: string) => manifests.find((m) => m.kind === "Rollout" && m.metadata.name === name)!;

  it("serves a small model on the L4 pool with vLLM and a large one on the H100 pool across 4 GPUs", () => {
    const chat = rollout("chat").spec.template.spec;
    const large = rollout("large").spec.template.spec;
    expect(chat.nodeSelector).toEqual({ "secure-inference.io/pool": "l4" });
    expect(large.nodeSelector).toEqual({ "secure-inference.io/pool": "h100" });
    expect(chat.containers[0].image).toMatch(/^vllm\/vllm-openai:v\d/);
    expect(chat.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(large.containers[0].resources.limits["nvidia.com/gpu"]).toBe("4");
  });

  it("rolls both out in steps 1, 5, 10, 25, 50, 100 with analysis at each step", () => {
    for (const name of ["chat", "large"]) {
      const steps = rollout(name).spec.strategy.canary.steps;
      expect(steps.filter((s: Record<string, unknown>) => "setWeight" in s).map((s: { setWeight: number }) => s.setWeight)).toEqual([1, 5, 10, 25, 50, 100]);
      expect(steps.filter((s: Record<string, unknown>) => "analysis" in s)).toHaveLength(6);
    }
  });

  it("passes the @kubernetes-models schema of every custom resource", () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      "AnalysisTemplate", "AnalysisTemplate", "Rollout", "Rollout", "ScaledObject", "ScaledObject", "TriggerAuthentication", "TriggerAuthentication",
    ]);
    expectValidCustomResources(manifests);
  });
});

/** The router of the reference example: tiers, fallbacks, and no secret in plain text anywhere. */
describe("examples/reference-platform router", () => {
  const { stacks } = synthApp((app) => buildReferencePlatform(app));
  const serving = stacks.find((s) => s.name === "serving")!.json;
  const configMap = Object.values(serving.resource.kubernetes_config_map_v1 as Record<string, { metadata: { name: string }; data: Record<string, string> }>).find((c) => c.metadata.name.startsWith("router"))!;
  const configYaml = Object.values(configMap.data)[0];
  // JSON is YAML: the router writes its config as JSON after a comment line.
  const config = JSON.parse(configYaml.replace(/^#.*\n/, ""));

  it("routes simple and medium prompts to the 8B model and complex and reasoning ones to the 70B model", () => {
    const auto = config.model_list.find((m: { model_name: string }) => m.model_name === "auto");
    expect(auto.litellm_params.model).toBe("auto_router/complexity_router");
    expect(auto.litellm_params.complexity_router_config.tiers).toEqual({ SIMPLE: "chat", MEDIUM: "chat", COMPLEX: "large", REASONING: "large" });
    const bases = Object.fromEntries(config.model_list.filter((m: { model_name: string }) => m.model_name !== "auto").map((m: { model_name: string; litellm_params: { api_base: string; model: string } }) => [m.model_name, [m.litellm_params.model, m.litellm_params.api_base]]));
    expect(bases).toEqual({ chat: ["openai/llama-3.1-8b-instruct", "https://chat.models.example.internal/v1"], large: ["openai/llama-3.1-70b-instruct", "https://large.models.example.internal/v1"] });
  });

  it("falls back from the small model to the large one on errors and on context-window overflow", () => {
    expect(config.router_settings.fallbacks).toEqual([{ chat: ["large"] }]);
    expect(config.router_settings.context_window_fallbacks).toEqual([{ chat: ["large"] }]);
  });

  it("keeps the master key out of the config, the Terraform and the state: generated by Secrets Manager, written write-only", () => {
    expect(config.general_settings.master_key).toBe("os.environ/LITELLM_MASTER_KEY");
    const text = JSON.stringify(serving);
    expect(text).not.toMatch(/sk-[A-Za-z0-9]{20,}/);
    const version = Object.values(serving.resource.aws_secretsmanager_secret_version as Record<string, Record<string, unknown>>)[0];
    expect(version.secret_string).toBeUndefined();
    expect(String(version.secret_string_wo)).toMatch(/ephemeral\.aws_secretsmanager_random_password\./);
  });

  it("caches responses in Valkey encrypted at rest and in transit, reached with IAM tokens and no password", () => {
    const [group] = Object.values(serving.resource.aws_elasticache_replication_group as Record<string, Record<string, unknown>>);
    expect(group).toMatchObject({ at_rest_encryption_enabled: "true", transit_encryption_enabled: true, transit_encryption_mode: "required", multi_az_enabled: true });
    expect(String(group.kms_key_id)).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    const users = Object.values(serving.resource.aws_elasticache_user as Record<string, { user_name: string; access_string: string; authentication_mode: { type: string } }>);
    expect(users.map((u) => [u.user_name === "default" ? "default" : "router", u.authentication_mode.type, u.access_string.split(" ")[0]]).sort()).toEqual([
      ["default", "no-password-required", "off"],
      ["router", "iam", "on"],
    ]);
    expect(config.litellm_settings.cache_params).toMatchObject({ type: "redis", ssl: true, aws_iam_auth: true, aws_iam_cache_name: group.replication_group_id, ttl: 3600 });
    expect(JSON.stringify(serving)).not.toMatch(/"(passwords|auth_token)"/);
  });
});

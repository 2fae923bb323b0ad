import { TerraformStack } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { ClusterMonitoring } from "../../../lib/cluster/cluster-monitoring";
import { SNS_RULES, SnsTopicEncrypted, SnsTopicPolicyNoPublic, SnsTopicTlsOnly } from "../../../lib/compliance/rules/sns";
import { EncryptionKey } from "../../../lib/security/encryption-key";
import { evaluateRule } from "../rule-harness";

/** A topic policy document with the given statements. */
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const PUBLISH_FROM_ANYONE = { Sid: "AnyonePublishes", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" };
const DENY_PLAIN_HTTP = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };

describe("SnsTopicEncrypted", () => {
  const { byId } = evaluateRule(SnsTopicEncrypted, (stack) => {
    const key = new KmsKey(stack, "key", { enableKeyRotation: true });
    new SnsTopic(stack, "with-key", { name: "with-key", kmsMasterKeyId: key.arn });
    new SnsTopic(stack, "without-key", { name: "without-key" });
  });

  it("passes a topic with kms_master_key_id", () => expect(byId["with-key"].status).toBe("compliant"));

  it("flags a topic without kms_master_key_id and says to set it", () => {
    expect(byId["without-key"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("set kms_master_key_id") });
  });
});

describe("SnsTopicPolicyNoPublic", () => {
  const { byId } = evaluateRule(SnsTopicPolicyNoPublic, (stack) => {
    const topic = new SnsTopic(stack, "topic", { name: "alarms" });
    const attach = (id: string, document: string) => new SnsTopicPolicy(stack, id, { arn: topic.arn, policy: document });
    attach("service-principal", policy({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: topic.arn }));
    attach("wildcard-scoped-by-source-arn", policy({ ...PUBLISH_FROM_ANYONE, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" } } }));
    attach("wildcard-scoped-by-org", policy({ ...PUBLISH_FROM_ANYONE, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }));
    attach("deny-only-wildcard", policy(DENY_PLAIN_HTTP));
    attach("public", policy(PUBLISH_FROM_ANYONE));
    attach("public-aws-star", policy({ ...PUBLISH_FROM_ANYONE, Principal: { AWS: ["*"] } }));
    attach("wildcard-unrelated-condition", policy({ ...PUBLISH_FROM_ANYONE, Condition: { Bool: { "aws:SecureTransport": "true" } } }));
    attach("wildcard-if-exists", policy({ ...PUBLISH_FROM_ANYONE, Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } }));
    const doc = new DataAwsIamPolicyDocument(stack, "public-document", {
      statement: [{ sid: "AnyoneSubscribes", actions: ["sns:Subscribe"], resources: [topic.arn], principals: [{ type: "AWS", identifiers: ["*"] }] }],
    });
    attach("public-from-data-source", doc.json);
  });

  it("passes named principals, and a wildcard scoped by aws:SourceArn or aws:PrincipalOrgID", () => {
    for (const id of ["service-principal", "wildcard-scoped-by-source-arn", "wildcard-scoped-by-org", "deny-only-wildcard"]) expect(byId[id].status).toBe("compliant");
  });

  it("flags an Allow for Principal \"*\" or AWS \"*\", naming the statement", () => {
    expect(byId.public).toMatchObject({ status: "non-compliant", message: expect.stringContaining('statement "AnyonePublishes" allows principal "*"') });
    expect(byId["public-aws-star"].status).toBe("non-compliant");
  });

  it("flags a wildcard whose condition does not name an account, source or organization", () => {
    expect(byId["wildcard-unrelated-condition"].status).toBe("non-compliant");
    expect(byId["wildcard-if-exists"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("aws:SourceAccount, aws:SourceArn, aws:SourceOwner or aws:PrincipalOrgID") });
  });

  it("reads aws_iam_policy_document data sources", () => {
    expect(byId["public-from-data-source"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining('"AnyoneSubscribes"') });
  });
});

describe("SnsTopicTlsOnly", () => {
  const { byId } = evaluateRule(SnsTopicTlsOnly, (stack) => {
    const key = new KmsKey(stack, "key", { enableKeyRotation: true });
    new SnsTopic(stack, "encrypted", { name: "encrypted", kmsMasterKeyId: key.arn });
    const denied = new SnsTopic(stack, "tls-policy", { name: "tls-policy" });
    new SnsTopicPolicy(stack, "tls-policy-policy", { arn: denied.arn, policy: policy(DENY_PLAIN_HTTP) });
    new SnsTopic(stack, "tls-inline", { name: "tls-inline", policy: policy(DENY_PLAIN_HTTP) });
    const open = new SnsTopic(stack, "no-tls", { name: "no-tls" });
    new SnsTopicPolicy(stack, "no-tls-policy", { arn: open.arn, policy: policy({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*" }) });
    // Only a policy attached to the topic counts, not a TLS-only policy of another topic.
    new SnsTopic(stack, "other-topic", { name: "other-topic" });
    new SnsTopicPolicy(stack, "second-policy-of-tls-policy", { arn: denied.arn, policy: policy(DENY_PLAIN_HTTP) });
    new SnsTopic(stack, "no-policy", { name: "no-policy" });
  });

  it("passes a KMS-encrypted topic without a policy, as cdk-nag does", () => expect(byId.encrypted.status).toBe("compliant"));

  it("passes a topic whose aws_sns_topic_policy or inline policy denies sns:Publish without TLS", () => {
    expect(byId["tls-policy"].status).toBe("compliant");
    expect(byId["tls-inline"].status).toBe("compliant");
  });

  it("flags an unencrypted topic without a TLS-only statement in its own policy", () => {
    for (const id of ["no-tls", "other-topic", "no-policy"]) {
      expect(byId[id]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("no topic policy denies sns:Publish when aws:SecureTransport is false") });
    }
  });
});

describe("ClusterMonitoring defaults", () => {
  const build = (stack: TerraformStack) => {
    const key = new EncryptionKey(stack, "key", { purpose: "logs" });
    new ClusterMonitoring(stack, "mon", {
      clusterName: "ml-prod",
      clusterArn: "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod",
      subnetIds: ["subnet-a", "subnet-b"],
      securityGroupId: "sg-0123",
      key,
    });
  };

  it.each(SNS_RULES.map((r) => [r.id, r] as const))("satisfy %s", (_id, rule) => {
    const outcomes = Object.values(evaluateRule(rule, build).byAddress);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toEqual({ status: "compliant" });
  });

  it("deny plain-HTTP publishing even without counting the topic's KMS key", () => {
    // The policy alone must carry TLS-only: drop the key from the topic and the rule still passes.
    const { byAddress } = evaluateRule(
      { ...SnsTopicTlsOnly, evaluate: (ctx) => SnsTopicTlsOnly.evaluate({ ...ctx, resource: { ...ctx.resource, config: { ...ctx.resource.config, kms_master_key_id: undefined } } }) },
      build,
    );
    expect(Object.values(byAddress)).toEqual([{ status: "compliant" }]);
  });
});

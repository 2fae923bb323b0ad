import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicEncrypted, SnsTopicPolicyNoPublic } from "../../../lib/compliance/rules/sns";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures for the SNS rules:
 *   tests/terraform/checks/resource/aws/example_SNSTopicEncryption/main.tf (CKV_AWS_26),
 *   tests/terraform/checks/resource/aws/example_SNSTopicPolicyAnyPrincipal/main.tf (CKV_AWS_169).
 * The CKV_AWS_169 heredocs (all but sns_pass_condition) have a trailing comma after the last action, which is not JSON;
 * they are translated without it. sns_tp_unknown (a Python-quoted Condition, reported unknown by checkov) is not translated.
 */
describe("CKV_AWS_26 fixtures (SnsTopicEncrypted)", () => {
  it("detects the failing fixture (1/1) and flags no passing one (0/1)", () => {
    const v = verdicts(SnsTopicEncrypted, (s) => {
      new SnsTopic(s, "enabled", { name: "example", kmsMasterKeyId: "aws_kms_key.arn" });
      new SnsTopic(s, "default", { name: "example" });
    });
    expect(misses(v, ["default"], ["enabled"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_169 fixtures (SnsTopicPolicyNoPublic)", () => {
  const actions = [
    "SNS:Subscribe", "SNS:SetTopicAttributes", "SNS:RemovePermission", "SNS:Receive", "SNS:Publish",
    "SNS:ListSubscriptionsByTopic", "SNS:GetTopicAttributes", "SNS:DeleteTopic", "SNS:AddPermission",
  ];
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(SnsTopicPolicyNoPublic, (s) => {
      const topic = new SnsTopic(s, "test", { name: "test" });
      const policy = (id: string, statement: Record<string, unknown>) =>
        new SnsTopicPolicy(s, id, {
          arn: topic.arn,
          policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ ...statement, Action: actions, Resource: topic.arn }] }),
        });
      policy("sns_tp1", { Principal: "*", Effect: "Deny" });
      policy("sns_pass_condition", {
        Sid: "AllowSpecificPrincipalsFromSourceAccount",
        Principal: { AWS: ["arn:aws:iam::123456789101:role/sns", "*"] },
        Effect: "Allow",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789101" } },
      });
      policy("sns_tp2", { Principal: { AWS: ["arn:aws:iam::123456789101:role/sns", "*"] }, Effect: "Allow" });
      policy("sns_tp3", { Principal: { AWS: "arn:aws:iam::*:role/sns" }, Effect: "Allow" });
      policy("sns_tp4", { Principal: { AWS: "*" }, Effect: "Allow" });
      policy("sns_tp5", { Principal: "*", Effect: "Allow" });
      policy("sns_tp6", { Principal: "arn:aws:iam::123456789101:role/sns", Effect: "Allow" });
    });
  });

  it("detects every failing fixture (4/4), including an AWS principal ARN with a wildcard account, and flags no passing one (0/3)", () => {
    const failing = ["sns_tp2", "sns_tp3", "sns_tp4", "sns_tp5"];
    const passing = ["sns_tp1", "sns_pass_condition", "sns_tp6"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });
});

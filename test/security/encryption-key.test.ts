import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { awsStack, onlyResource, synth } from "../util";

describe("EncryptionKey", () => {
  const stack = awsStack();
  const key = new EncryptionKey(stack, "key", { purpose: "logs", aliasPrefix: "ml-prod" });
  key.grantCloudWatchLogs("/aws/eks/ml-prod/*");
  key.grantCloudWatchLogs("/aws/eks/ml-prod/*"); // idempotent
  key.grantEbsForAutoScaling();
  key.grantUse("ClusterRoleUsesKey", ["arn:aws:iam::111122223333:role/x"], ["kms:ListGrants"]);
  const { raw, json } = synth(stack);
  const policy = JSON.parse(onlyResource(json, "aws_kms_key").policy);
  const statement = (sid: string) => policy.Statement.find((s: { Sid: string }) => s.Sid === sid);

  it("turns rotation on with a 365-day period and a 30-day deletion window", () => {
    expect(raw).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 });
    expect(raw).toHaveResourceWithProperties(KmsAlias, { name: "alias/ml-prod/logs" });
  });

  it("keeps the key administrable by the account root only through IAM", () => {
    expect(statement("AccountRootAdministers")).toEqual({
      Sid: "AccountRootAdministers",
      Effect: "Allow",
      Principal: { AWS: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[\w]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[\w]+\.account_id\}:root$/) },
      Action: "kms:*",
      Resource: "*",
    });
  });

  it("lets CloudWatch Logs use the key only for the named log groups (encryption-context condition)", () => {
    const s = statement("CloudWatchLogsEncryptsLogGroups");
    expect(s.Principal.Service).toMatch(/^logs\.\$\{data\.aws_region\..*\.name\}\.\$\{data\.aws_partition\..*\.dns_suffix\}$/);
    expect(s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([expect.stringMatching(/:log-group:\/aws\/eks\/ml-prod\/\*$/)]);
  });

  it("lets the Auto Scaling service-linked role encrypt node volumes, granting only for AWS resources", () => {
    expect(statement("AutoScalingUsesKeyForVolumes").Principal.AWS).toMatch(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/);
    expect(statement("AutoScalingAttachesPersistentResources")).toMatchObject({ Action: "kms:CreateGrant", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } });
  });

  it("grants named roles use of the key", () => {
    expect(statement("ClusterRoleUsesKey")).toMatchObject({ Principal: { AWS: "arn:aws:iam::111122223333:role/x" }, Action: expect.arrayContaining(["kms:Decrypt", "kms:ListGrants"]) });
  });

  it("refuses a use grant without principals (it would render an empty Principal)", () => {
    expect(() => key.grantUse("Nobody", [])).toThrow(/test\/key: grantUse\("Nobody"\) needs at least one principal ARN/);
  });

  it("rejects invalid rotation, deletion window, purpose and alias, all at once", () => {
    const s = awsStack();
    expect(() => new EncryptionKey(s, "bad", { purpose: "Bad Purpose", rotationPeriodInDays: 30, deletionWindowInDays: 3, alias: "aws/mine" })).toThrow(
      new RegExp(
        [
          "test/bad: invalid EncryptionKey props \\(4 problems\\)",
          '- purpose: "Bad Purpose" must be lower-case',
          "- rotationPeriodInDays: 30 must be between 90 and 2560",
          "- deletionWindowInDays: 3 must be between 7 and 30",
          '- alias: "aws/mine" must not start with',
        ].join("[\\s\\S]*"),
      ),
    );
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});

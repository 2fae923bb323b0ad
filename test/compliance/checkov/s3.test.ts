import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPolicyNoPublicAllow } from "../../../lib/compliance/rules/s3";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/example_S3AllowsAnyPrincipal/main.tf (CKV_AWS_70),
 * first nine fixtures (the bucket and bucket-policy ones up to pass_w_condition2); the rest are listed as not translated in docs/checkov-coverage.md.
 * Construct ids carry a "bucket-" or "policy-" prefix because checkov names an aws_s3_bucket and an aws_s3_bucket_policy alike.
 */
const policy = (statement: Record<string, unknown>) => JSON.stringify({ Id: "Policy1597273448050", Statement: [{ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bucket/*", ...statement }] });

describe("CKV_AWS_70 fixtures (S3BucketPolicyNoPublicAllow)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(S3BucketPolicyNoPublicAllow, (s) => {
      new S3Bucket(s, "bucket-fail3", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "*" } }) });
      new S3Bucket(s, "bucket-fail2", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: ["*"] } }) });
      new S3Bucket(s, "bucket-fail", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: "*" }) });
      new S3Bucket(s, "bucket-pass", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "some_arn" } }) });
      new S3Bucket(s, "bucket-pass2", { bucket: "bucket", policy: policy({ Effect: "Deny", Principal: "*" }) });
      new S3BucketPolicy(s, "policy-pass", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "some_arn" } }) });
      new S3BucketPolicy(s, "policy-fail", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "*" } }) });
      const arnNotEquals = { ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::12345555555555:user/username" } };
      new S3BucketPolicy(s, "policy-pass_w_condition", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "*" }, Condition: arnNotEquals }) });
      new S3Bucket(s, "bucket-pass_w_condition", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "*" }, Condition: arnNotEquals }) });
      new S3BucketPolicy(s, "policy-pass_w_condition2", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: { AWS: "*" }, Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::12345555555555:user/username" } } }) });
      new S3BucketPolicy(s, "policy-org", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }) });
      new S3BucketPolicy(s, "policy-vpce", { bucket: "bucket", policy: policy({ Effect: "Allow", Principal: "*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }) });
    });
  });

  it("detects every failing fixture (4/4) and accepts the passing ones scoped to principals (0/4 flagged)", () => {
    const failing = ["bucket-fail", "bucket-fail2", "bucket-fail3", "policy-fail"];
    const passing = ["bucket-pass", "bucket-pass2", "policy-pass", "policy-pass_w_condition2"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });

  it("accepts a wildcard principal scoped by aws:PrincipalOrgID or aws:SourceVpce", () => {
    expect([v["policy-org"], v["policy-vpce"]]).toEqual(["compliant", "compliant"]);
  });

  it("flags a wildcard principal that only excludes one ARN (ArnNotEquals), which checkov passes (deliberately stricter)", () => {
    expect([v["policy-pass_w_condition"], v["bucket-pass_w_condition"]]).toEqual(["non-compliant", "non-compliant"]);
  });
});

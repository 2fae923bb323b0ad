import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration";
import { IamNoFullServiceAccess, IamRoleTrustNoWildcard } from "../../../lib/compliance/rules/iam";
import { SageMakerEndpointConfigKms } from "../../../lib/compliance/rules/sagemaker";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures:
 *   tests/terraform/checks/data/aws/example_StarActionPolicyDocument/main.tf (CKV_AWS_49),
 *   tests/terraform/checks/resource/aws/test_IAMRoleAllowsPublicAssume.py (CKV_AWS_60, inline confs),
 *   tests/terraform/checks/resource/aws/test_SagemakerEndpoinConfigurationEncryption.py (CKV_AWS_98, inline confs).
 */

describe("CKV_AWS_49 fixtures (IamNoFullServiceAccess on data.aws_iam_policy_document)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoFullServiceAccess, (s) => {
      const bucket = ["arn:aws:s3:::my_corporate_bucket/*"];
      new DataAwsIamPolicyDocument(s, "pass", { version: "2012-10-17", statement: [{ effect: "Allow", actions: ["s3:*"], resources: bucket }] });
      new DataAwsIamPolicyDocument(s, "fail", { version: "2012-10-17", statement: [{ effect: "Allow", actions: ["*"], resources: bucket }] });
      new DataAwsIamPolicyDocument(s, "no_effect", { version: "2012-10-17", statement: [{ actions: ["*"], resources: bucket }] });
      // `flatten` (statement = flatten(var.policy_json, [])) and `unknown` (repeated `statement = [...]` attributes, Terraform 0.11)
      // are not valid for provider 5.100: not translated.
    });
  });

  it("detects both failing documents (2/2); flags `pass` (\"s3:*\" in an identity statement), deliberately stricter (1/1)", () => {
    expect(misses(v, ["fail", "no_effect"], ["pass"])).toEqual({ undetected: [], flagged: ["pass"] });
  });
});

describe("CKV_AWS_60 fixtures (IamRoleTrustNoWildcard)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamRoleTrustNoWildcard, (s) => {
      const stmt = (principal: object, effect = "Allow") => ({ Action: "sts:AssumeRole", Principal: principal, Effect: effect });
      const trust = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
      const lambda = stmt({ Service: "lambda.amazonaws.com" });
      const events = stmt({ Service: "events.amazonaws.com" });
      new IamRole(s, "test_failure", { name: "test-role", assumeRolePolicy: trust(lambda, stmt({ AWS: "*" }), events) });
      new IamRole(s, "test_failure_array", { name: "test-role", assumeRolePolicy: trust(lambda, stmt({ AWS: ["*"] }), events) });
      new IamRole(s, "test_success", { name: "test-role", assumeRolePolicy: trust(lambda) });
      new IamRole(s, "test_success_deny", { name: "test-role", assumeRolePolicy: trust(stmt({ AWS: "*" }, "Deny")) });
      new IamRole(s, "test_empty_iam_policy", { name: "test-role", assumeRolePolicy: "" });
      // test_empty_iam_policy_2 (no assume_role_policy, required by provider 5.100): not translatable.
    });
  });

  it("detects both failing roles (2/2) and flags no passing one (0/3)", () => {
    expect(misses(v, ["test_failure", "test_failure_array"], ["test_success", "test_success_deny", "test_empty_iam_policy"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_98 fixtures (SageMakerEndpointConfigKms)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(SageMakerEndpointConfigKms, (s) => {
      const variants = [{ variantName: "variant-1", modelName: "${aws_sagemaker_model.m.name}", initialInstanceCount: 1, instanceType: "ml.t2.medium" }];
      new SagemakerEndpointConfiguration(s, "test_failure", { name: "my-endpoint-config", productionVariants: variants });
      new SagemakerEndpointConfiguration(s, "test_success", { name: "my-endpoint-config", kmsKeyArn: "${aws_kms_key.test.arn}", productionVariants: variants });
    });
  });

  it("detects the failing configuration (1/1) and flags no passing one (0/1)", () => {
    expect(misses(v, ["test_failure"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

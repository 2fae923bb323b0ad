import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SagemakerEndpointConfiguration, SagemakerEndpointConfigurationConfig } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration";
import { SAGEMAKER_RULES, SageMakerEndpointConfigKms } from "../../../lib/compliance/rules/sagemaker";
import { evaluateRule } from "../rule-harness";

const variants: SagemakerEndpointConfigurationConfig["productionVariants"] = [
  { variantName: "primary", modelName: "llm", initialInstanceCount: 1, instanceType: "ml.m5.xlarge" },
];

describe("SageMakerEndpointConfigKms", () => {
  it("passes an endpoint configuration that encrypts its storage with a KMS key", () => {
    const { byId } = evaluateRule(SageMakerEndpointConfigKms, (s) => {
      const key = new KmsKey(s, "key", { enableKeyRotation: true });
      new SagemakerEndpointConfiguration(s, "ec", { name: "llm", productionVariants: variants, kmsKeyArn: key.arn });
    });
    expect(byId.ec.status).toBe("compliant");
  });

  it("flags an endpoint configuration without kms_key_arn", () => {
    const { byId } = evaluateRule(SageMakerEndpointConfigKms, (s) => new SagemakerEndpointConfiguration(s, "ec", { name: "llm", productionVariants: variants }));
    expect(byId.ec).toEqual({ status: "non-compliant", message: expect.stringContaining("kms_key_arn is unset") });
  });
});

it("exports every SageMaker rule in SAGEMAKER_RULES", () => {
  expect(SAGEMAKER_RULES).toEqual([SageMakerEndpointConfigKms]);
});

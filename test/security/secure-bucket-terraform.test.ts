/**
 * SecureBucket.allowLoadBalancerAccessLogs under the real Terraform CLI (hashicorp/aws 5.100.0, offline): the ELB account
 * of the region comes from data.aws_elb_service_account without any AWS API call. (test/examples/govcloud.test.ts plans the
 * same data source in us-gov-west-1 through the platform stack.)
 */
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecureBucket } from "../../lib/security/secure-bucket";
import { OfflineTerraform, StackCheck, synthApp } from "../harness/offline-terraform";

/** Plans one stack with an access-log bucket that admits ELB, in `region`. */
async function planIn(region: string): Promise<{ check: StackCheck; requests: string[] }> {
  const tf = await OfflineTerraform.start(region);
  try {
    const { stacks } = synthApp((app: App) => {
      const stack = new TerraformStack(app, "logs");
      new AwsProvider(stack, "aws", { region });
      new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" }).allowLoadBalancerAccessLogs("alb");
    });
    const check = await tf.check(stacks[0]);
    return { check, requests: tf.standIn.requests.map((r) => r.action) };
  } finally {
    await tf.stop();
  }
}

/** The values data.aws_elb_service_account read during the plan. */
function elbAccount(check: StackCheck): { id: string; arn: string } {
  const plan = check.plan as unknown as { prior_state: { values: { root_module: { resources: Array<{ type: string; values: { id: string; arn: string } }> } } } };
  const read = plan.prior_state.values.root_module.resources.filter((r) => r.type === "aws_elb_service_account");
  expect(read).toHaveLength(1);
  return read[0].values;
}

describe("the ELB account of the bucket policy, read by Terraform offline", () => {
  it("is 127311923021 in us-east-1, known at plan time, with no call to the AWS API but STS", async () => {
    const { check, requests } = await planIn("us-east-1");
    expect(check.validate.valid).toBe(true);
    expect(elbAccount(check)).toEqual(expect.objectContaining({ id: "127311923021", arn: "arn:aws:iam::127311923021:root" }));
    expect(requests.every((a) => a === "GetCallerIdentity")).toBe(true);
  });
});

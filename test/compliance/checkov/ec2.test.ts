import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplateMonitoring } from "../../../lib/compliance/rules/ec2";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/test_EC2DetailedMonitoringEnabled.py (CKV_AWS_126),
 * whose fixtures are inline HCL. Its test_failure2 (aws_launch_template with `monitoring = false`, an attribute where the provider
 * has a block) is refused by provider 5.100 and not translated.
 */
describe("CKV_AWS_126 fixtures (LaunchTemplateMonitoring on aws_instance)", () => {
  it("detects the failing instance (1/1) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(LaunchTemplateMonitoring, (s) => {
      new Instance(s, "test_failure1", {});
      new Instance(s, "test_failure_aws_instance", { monitoring: true });
    });
    expect(misses(v, ["test_failure1"], ["test_failure_aws_instance"])).toEqual({ undetected: [], flagged: [] });
  });
});

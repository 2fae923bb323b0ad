import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { S3BucketNoPublicAcl } from "../../../lib/compliance/rules/s3";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures of CKV_AWS_375 (no FULL_CONTROL or READ_ACP for AllUsers):
 * tests/terraform/checks/resource/aws/example_S3GlobalViewACL/main.tf.
 */
describe("CKV_AWS_375 fixtures (S3BucketNoPublicAcl)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(S3BucketNoPublicAcl, (s) => {
      const group = (name: string) => `http://acs.amazonaws.com/groups/global/${name}`;
      const acl = (id: string, grants: Array<[string, string]>) =>
        new S3BucketAcl(s, id, {
          bucket: "${aws_s3_bucket.example.id}",
          accessControlPolicy: {
            grant: grants.map(([uri, permission]) => ({ grantee: { type: "Group", uri: group(uri) }, permission })),
            owner: { id: "${data.aws_canonical_user_id.current.id}" },
          },
        });
      acl("fail", [["AllUsers", "FULL_CONTROL"], ["AllUsers", "READ_ACP"]]);
      acl("fail2", [["Other", "FULL_CONTROL"], ["AllUsers", "READ_ACP"]]);
      acl("pass", [["Other", "FULL_CONTROL"], ["Other", "READ_ACP"]]);
      acl("pass2", [["AllUsers", "READ"], ["AllUsers", "READ"]]);
    });
  });

  it("detects both failing fixtures (2/2); flags pass2 (READ for AllUsers, a public read that CKV_AWS_20 fails) deliberately (1/2)", () => {
    expect(misses(v, ["fail", "fail2"], ["pass", "pass2"])).toEqual({ undetected: [], flagged: ["pass2"] });
  });
});

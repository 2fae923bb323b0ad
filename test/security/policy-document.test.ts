import { PolicyDocument } from "../../lib/security/policy-document";

describe("PolicyDocument", () => {
  it("renders IAM JSON with single values unwrapped and condition values as strings", () => {
    const doc = new PolicyDocument([
      { sid: "Trust", actions: ["sts:AssumeRole"], principals: { Service: ["eks.amazonaws.com"] }, conditions: { Bool: { "aws:MultiFactorAuthPresent": true }, NumericLessThan: { "aws:MultiFactorAuthAge": 3600 } } },
      { sid: "Use", effect: "Deny", actions: ["kms:Decrypt", "kms:Encrypt"], resources: ["*"] },
    ]);
    expect(JSON.parse(doc.toJson())).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Trust", Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } } },
        { Sid: "Use", Effect: "Deny", Action: ["kms:Decrypt", "kms:Encrypt"], Resource: "*" },
      ],
    });
  });

  it("rejects a repeated sid and a statement without actions", () => {
    const doc = new PolicyDocument([{ sid: "A", actions: ["s3:GetObject"], resources: ["*"] }]);
    expect(() => doc.addStatements({ sid: "A", actions: ["s3:PutObject"], resources: ["*"] })).toThrow(/duplicate statement sid "A"/);
    expect(() => doc.addStatements({ sid: "B", actions: [], resources: ["*"] })).toThrow(/"B" has no actions/);
  });

  it("appends extra statements to one rendering only", () => {
    const doc = new PolicyDocument([{ sid: "A", actions: ["s3:GetObject"], resources: ["*"] }]);
    expect(JSON.parse(doc.toJson([{ sid: "B", actions: ["s3:PutObject"], resources: ["*"] }])).Statement).toHaveLength(2);
    expect(doc.length).toBe(1);
  });
});

import { Statement, deniesInsecureTransport, isScopedBy, statementName, statementsOf } from "../../../lib/compliance/private/policy";

/*
 * Policy helpers shared by the S3, SNS, ECR, KMS and IAM rules. The S3 and SNS rules used to keep private
 * versions of the scoping and TLS checks that disagreed; the cases marked "(copies disagreed)" pin the meaning chosen.
 */

/** The only statement of a policy with this statement. */
const statement = (s: Record<string, unknown>): Statement => statementsOf(JSON.stringify({ Version: "2012-10-17", Statement: [s] }))![0];

const ALLOW_ANYONE = { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" };
const KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:principalorgid"];

describe("statementName", () => {
  it("names a statement by its Sid, or by its position counted from 1", () => {
    expect(statementName(statement({ ...ALLOW_ANYONE, Sid: "Alarms" }), 0)).toBe("\"Alarms\"");
    expect(statementName(statement(ALLOW_ANYONE), 2)).toBe("#3");
  });
});

describe("isScopedBy", () => {
  it("accepts a condition on a scoping key with concrete values, in any case, wildcards inside an ARN included", () => {
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }), KEYS)).toBe(true);
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" } } }), KEYS)).toBe(true);
  });

  it("refuses conditions on other keys, and no condition", () => {
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { Bool: { "aws:SecureTransport": "true" } } }), KEYS)).toBe(false);
    expect(isScopedBy(statement(ALLOW_ANYONE), KEYS)).toBe(false);
  });

  it("refuses a negated operator, which admits everyone else (copies disagreed: the S3 one accepted it)", () => {
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { StringNotEquals: { "aws:SourceAccount": "123456789012" } } }), KEYS)).toBe(false);
  });

  it("refuses an IfExists operator, which admits requests without the key", () => {
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } }), KEYS)).toBe(false);
  });

  it("refuses values that name no one: all of them must be concrete (copies disagreed: the SNS one needed only one, the S3 one allowed \"\")", () => {
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { StringLike: { "aws:SourceAccount": ["123456789012", "*"] } } }), KEYS)).toBe(false);
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { StringEquals: { "aws:SourceAccount": "" } } }), KEYS)).toBe(false);
    expect(isScopedBy(statement({ ...ALLOW_ANYONE, Condition: { StringEquals: { "aws:SourceAccount": [] } } }), KEYS)).toBe(false);
  });
});

describe("deniesInsecureTransport", () => {
  const DENY = { Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: "*" };
  const S3 = ["*", "s3:*"];

  it("accepts a Deny for everyone of the given actions, in any case, when aws:SecureTransport is false", () => {
    expect(deniesInsecureTransport(statement({ ...DENY, Condition: { Bool: { "aws:SecureTransport": "false" } } }), S3)).toBe(true);
    expect(deniesInsecureTransport(statement({ ...DENY, Action: "S3:*", Condition: { Bool: { "aws:SecureTransport": "FALSE" } } }), S3)).toBe(true);
  });

  it("accepts BoolIfExists, which also denies requests without the key (copies disagreed: the S3 one wanted Bool)", () => {
    expect(deniesInsecureTransport(statement({ ...DENY, Condition: { BoolIfExists: { "aws:SecureTransport": "false" } } }), S3)).toBe(true);
  });

  it("refuses an Allow, a named principal, other actions and other conditions", () => {
    const tls = { Condition: { Bool: { "aws:SecureTransport": "false" } } };
    expect(deniesInsecureTransport(statement({ ...DENY, ...tls, Effect: "Allow" }), S3)).toBe(false);
    expect(deniesInsecureTransport(statement({ ...DENY, ...tls, Principal: { AWS: "arn:aws:iam::123456789012:root" } }), S3)).toBe(false);
    expect(deniesInsecureTransport(statement({ ...DENY, ...tls, Action: "s3:GetObject" }), S3)).toBe(false);
    expect(deniesInsecureTransport(statement({ ...DENY, Condition: { Bool: { "aws:SecureTransport": "true" } } }), S3)).toBe(false);
  });
});

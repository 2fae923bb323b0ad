import {
  block,
  blocks,
  hasEntry,
  holdsNothing,
  isAwsManagedKey,
  isFalse,
  isLiteralString,
  isOne,
  isReference,
  isSet,
  isTrue,
  launchTemplateOf,
  listOf,
  literalNumber,
  objectLockRetentionDays,
  objectLocksOf,
  shown,
  stringsOf,
} from "../../../lib/compliance/private/attributes";
import { stackViewOf } from "../../../lib/compliance/private/stack-view";

/*
 * The attribute readers every rule shares. Several rules used to keep private copies that disagreed; the cases
 * marked "(copies disagreed)" pin the meaning chosen: Terraform's, where Terraform gives the value one.
 */

describe("blocks and block", () => {
  it("read a block synthesized as one object or as an array of objects", () => {
    expect(blocks({ enabled: true })).toEqual([{ enabled: true }]);
    expect(blocks([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(block([{ a: 1 }, { a: 2 }])).toEqual({ a: 1 });
  });

  it("read unset, scalars and non-object entries as no block", () => {
    for (const v of [undefined, null, "", "x", 0, true, []]) expect(blocks(v)).toEqual([]);
    expect(blocks([null, "x", { a: 1 }])).toEqual([{ a: 1 }]);
    expect(block(undefined)).toBeUndefined();
    // An array whose first entry is not an object still yields its first block.
    expect(block([null, { a: 1 }])).toEqual({ a: 1 });
  });
});

describe("listOf and stringsOf", () => {
  it("read a list attribute as its entries, a single value as a list of one, and unset as none", () => {
    expect(listOf(["a", "b"])).toEqual(["a", "b"]);
    expect(listOf("0.0.0.0/0")).toEqual(["0.0.0.0/0"]);
    expect(listOf(undefined)).toEqual([]);
    expect(listOf(null)).toEqual([]);
    expect(stringsOf(["s3:GetObject", 7])).toEqual(["s3:GetObject", "7"]);
    expect(stringsOf("*")).toEqual(["*"]);
    expect(stringsOf(undefined)).toEqual([]);
  });
});

describe("isReference and isLiteralString", () => {
  it("tell a Terraform expression, known only at apply, from a literal string", () => {
    expect(isReference("${aws_kms_key.k.arn}")).toBe(true);
    expect(isReference("arn:aws:kms:${var.region}:123456789012:key/k")).toBe(true);
    expect(isReference("arn:aws:kms:us-east-1:123456789012:key/k")).toBe(false);
    expect(isLiteralString("SYMMETRIC_DEFAULT")).toBe(true);
    expect(isLiteralString("${var.spec}")).toBe(false);
    expect(isLiteralString(7)).toBe(false);
    expect(isLiteralString(undefined)).toBe(false);
  });
});

describe("isTrue and isFalse", () => {
  it("read the booleans and the strings Terraform converts to them", () => {
    expect([true, "true", "1"].map(isTrue)).toEqual([true, true, true]);
    expect([false, "false", "0"].map(isFalse)).toEqual([true, true, true]);
  });

  it("read neither as the other, and unset or an expression as neither", () => {
    for (const v of [false, "false", "0", undefined, null, "", "${var.on}"]) expect(isTrue(v)).toBe(false);
    for (const v of [true, "true", "1", undefined, null, "", "${var.on}"]) expect(isFalse(v)).toBe(false);
  });

  it("refuse strings Terraform refuses for a bool: other case or padding (copies disagreed: one trimmed and lower-cased)", () => {
    for (const v of ["TRUE", "True", " true", " TRUE "]) expect(isTrue(v)).toBe(false);
    for (const v of ["FALSE", "False", "false "]) expect(isFalse(v)).toBe(false);
  });

  it("accept \"1\" and \"0\", which Terraform converts to a bool (copies disagreed: none accepted them)", () => {
    expect(isTrue("1")).toBe(true);
    expect(isFalse("0")).toBe(true);
  });

  it("refuse the numbers 1 and 0, which Terraform does not convert to a bool", () => {
    expect(isTrue(1)).toBe(false);
    expect(isFalse(0)).toBe(false);
  });
});

describe("literalNumber and isOne", () => {
  it("read JSON numbers, and strings in the decimal notation Terraform parses", () => {
    expect(literalNumber(365)).toBe(365);
    expect(literalNumber(0)).toBe(0);
    expect(literalNumber("365")).toBe(365);
    expect(literalNumber("-1")).toBe(-1);
    expect(literalNumber("1e3")).toBe(1000);
  });

  it("read a fraction (copies disagreed: one read whole numbers only)", () => {
    expect(literalNumber("7.5")).toBe(7.5);
  });

  it("refuse a padded string, which Terraform does not parse as a number (copies disagreed: one trimmed)", () => {
    expect(literalNumber(" 7 ")).toBeUndefined();
  });

  it("read unset values, expressions and other strings as no number", () => {
    for (const v of [undefined, null, "", "${var.days}", "seven", "0x10", true, [7]]) expect(literalNumber(v)).toBeUndefined();
  });

  it("isOne accepts 1 in any form Terraform reads as the number 1, and nothing else", () => {
    for (const v of [1, "1", "1.0"]) expect(isOne(v)).toBe(true);
    for (const v of [2, "2", " 1", true, undefined, "${var.hops}"]) expect(isOne(v)).toBe(false);
  });
});

describe("isSet, hasEntry and holdsNothing", () => {
  it("isSet counts present values, false and 0 included, and Terraform expressions", () => {
    for (const v of ["x", "${var.key}", false, 0, {}, ["a"], [""]]) expect(isSet(v)).toBe(true);
  });

  it("isSet reads undefined, null and \"\" as unset", () => {
    for (const v of [undefined, null, ""]) expect(isSet(v)).toBe(false);
  });

  it("isSet reads an empty list as unset, as Terraform's empty list sets nothing (copies disagreed: two counted [] as set)", () => {
    expect(isSet([])).toBe(false);
  });

  it("hasEntry wants a list with a set entry, or a single set value standing for the list", () => {
    expect(hasEntry(["arn:aws:sns:us-east-1:123456789012:alarms"])).toBe(true);
    expect(hasEntry("${var.topics}")).toBe(true);
    for (const v of [undefined, null, "", [], [""], [null]]) expect(hasEntry(v)).toBe(false);
  });

  it("holdsNothing reads values that hold nothing at any depth, such as an empty filter {}", () => {
    for (const v of [undefined, null, "", [], {}, [{}], [{ prefix: "" }], { and: [{}] }]) expect(holdsNothing(v)).toBe(true);
    for (const v of ["logs/", 0, false, [{ prefix: "logs/" }], { and: [{ tags: { a: "b" } }] }]) expect(holdsNothing(v)).toBe(false);
  });
});

describe("isAwsManagedKey", () => {
  it("recognises literal ids of AWS managed keys (alias/aws/...), by alias name or ARN", () => {
    expect(isAwsManagedKey("alias/aws/rds")).toBe(true);
    expect(isAwsManagedKey("arn:aws:kms:us-east-1:123456789012:alias/aws/elasticache")).toBe(true);
  });

  it("does not flag customer-managed keys, aliases that merely contain aws, or expressions", () => {
    for (const v of ["alias/my-key", "alias/awsome", "arn:aws:kms:us-east-1:123456789012:key/1234", "arn:aws:kms:${var.region}:123456789012:alias/aws/rds", undefined]) {
      expect(isAwsManagedKey(v)).toBe(false);
    }
  });
});

/** A stack view over resources given as { type: { name: config } }. */
const viewOf = (resource: Record<string, Record<string, Record<string, unknown>>>) => stackViewOf("s", { resource });

describe("launchTemplateOf", () => {
  const view = viewOf({
    aws_launch_template: { gpu: { name: "gpu-nodes" }, other: { name: "other" } },
    aws_eks_node_group: { ng: {} },
  });
  const gpu = view.ofType("aws_launch_template")[0];

  it("finds the stack's launch template that a launch_template block names by id or name reference, or by literal name", () => {
    expect(launchTemplateOf(view, { id: "${aws_launch_template.gpu.id}", version: "1" })).toBe(gpu);
    expect(launchTemplateOf(view, { name: "${aws_launch_template.gpu.name}" })).toBe(gpu);
    expect(launchTemplateOf(view, { name: "gpu-nodes" })).toBe(gpu);
  });

  it("finds nothing for a template outside the stack or without a launch_template block", () => {
    expect(launchTemplateOf(view, { id: "lt-0123456789abcdef0" })).toBeUndefined();
    expect(launchTemplateOf(view, { name: "elsewhere" })).toBeUndefined();
    expect(launchTemplateOf(view, undefined)).toBeUndefined();
  });
});

describe("objectLocksOf and objectLockRetentionDays", () => {
  it("find a bucket's lock configurations by reference or literal bucket name, then its deprecated inline block", () => {
    const view = viewOf({
      aws_s3_bucket: { audit: { bucket: "audit-logs", object_lock_configuration: { object_lock_enabled: "Enabled" } } },
      aws_s3_bucket_object_lock_configuration: {
        byref: { bucket: "${aws_s3_bucket.audit.id}" },
        byname: { bucket: "audit-logs" },
        unrelated: { bucket: "other" },
      },
    });
    const bucket = view.ofType("aws_s3_bucket")[0];
    expect(objectLocksOf(view, bucket).map((l) => l.address)).toEqual([
      "aws_s3_bucket_object_lock_configuration.byref",
      "aws_s3_bucket_object_lock_configuration.byname",
      "aws_s3_bucket.audit",
    ]);
  });

  it("read the default retention in days, years as calendar years with leap days", () => {
    expect(objectLockRetentionDays({ rule: { default_retention: { mode: "COMPLIANCE", days: 365 } } })).toBe(365);
    expect(objectLockRetentionDays({ rule: [{ default_retention: [{ mode: "COMPLIANCE", days: "400" }] }] })).toBe(400);
    expect(objectLockRetentionDays({ rule: { default_retention: { mode: "COMPLIANCE", years: 6 } } })).toBe(2192);
  });

  it("read no default retention as undefined, and an expression as NaN (copies disagreed: one read an expression as no retention)", () => {
    expect(objectLockRetentionDays({})).toBeUndefined();
    expect(objectLockRetentionDays({ rule: { default_retention: { mode: "COMPLIANCE" } } })).toBeUndefined();
    expect(objectLockRetentionDays({ rule: { default_retention: { days: "${var.days}" } } })).toBeNaN();
    expect(objectLockRetentionDays({ rule: { default_retention: { years: "${var.years}" } } })).toBeNaN();
  });
});

describe("shown", () => {
  it("shows unset values with the caller's wording, expressions as uncheckable, and literals as JSON", () => {
    expect(shown(undefined)).toBe("unset");
    expect(shown(null, "unset (default false)")).toBe("unset (default false)");
    expect(shown("${var.x}")).toBe("a Terraform reference (${var.x}) that cannot be checked at synth time");
    expect(shown("optional")).toBe("\"optional\"");
    expect(shown(2)).toBe("2");
  });
});

/*
 * Readers for synthesized resource attributes, shared by every rule: one meaning each. Where Terraform
 * gives a value a meaning (a string in a bool or number attribute), the reader gives it the same one.
 */
import type { ResourceView, StackView } from "../rule-model";

/** A nested block's attributes. */
export type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every instance of a nested block; cdktf writes a single block as an object, several as an array. Non-objects are dropped. */
export function blocks(value: unknown): Block[] {
  if (Array.isArray(value)) return value.filter((b): b is Block => !!b && typeof b === "object");
  return value && typeof value === "object" ? [value as Block] : [];
}

/** The first instance of a nested block (for max_items = 1 blocks, the only one). */
export function block(value: unknown): Block | undefined {
  return blocks(value)[0];
}

/** The entries of a list attribute: an array as it is, a single value as a list of one, undefined or null as none. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The entries of a list attribute (see listOf) as strings. */
export function stringsOf(value: unknown): string[] {
  return listOf(value).map(String);
}

/** True for a Terraform expression such as "${aws_kms_key.k.arn}", whose value is known only at apply. */
export const isReference = (v: unknown): v is string => typeof v === "string" && v.includes("${");

/** A string known at synth time: not a Terraform expression. */
export const isLiteralString = (v: unknown): v is string => typeof v === "string" && !isReference(v);

// Terraform converts only "true"/"1" and "false"/"0" to a bool, and refuses "TRUE" or " true" (go-cty,
// cty/convert/conversion_primitive.go), so the readers accept exactly those: a refused value never deploys.

/** Terraform's true: true, or a string Terraform converts to true ("true" or "1"). */
export const isTrue = (v: unknown): boolean => v === true || v === "true" || v === "1";

/** Terraform's false: false, or a string Terraform converts to false ("false" or "0"). */
export const isFalse = (v: unknown): boolean => v === false || v === "false" || v === "0";

/** Decimal notation as Terraform parses a string into a number (Go big.ParseFloat, base 10): sign, fraction, exponent, no spaces. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number known at synth time: a JSON number, or a string Terraform converts to one ("7", "7.5", "-1"); undefined otherwise (unset, expressions). */
export function literalNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && DECIMAL.test(v)) return Number(v);
  return undefined;
}

/** The number 1, as a number or a string Terraform converts to 1 (see literalNumber). */
export const isOne = (v: unknown): boolean => literalNumber(v) === 1;

/** Set, for "must be set" checks: not undefined, null, "" or an empty list (Terraform's empty list sets nothing); a Terraform expression counts as set. */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);

/** A list attribute with at least one set entry; a single set value (e.g. "${var.topics}" standing for the list) counts as one. */
export const hasEntry = (v: unknown): boolean => (Array.isArray(v) ? v.some(isSet) : isSet(v));

/** True when a value holds nothing at any depth: unset, "", or lists and blocks that hold nothing (e.g. an empty `filter {}`). */
export function holdsNothing(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.every(holdsNothing);
  if (typeof v === "object") return Object.values(v).every(holdsNothing);
  return false;
}

/** A literal KMS key id that names an AWS managed key (alias/aws/...), which no key policy of yours governs. */
export const isAwsManagedKey = (v: unknown): boolean => isLiteralString(v) && /(^|:)alias\/aws\//.test(v);

/** The aws_launch_template of the stack that a `launch_template { id | name }` block names, by reference or literal name. */
export function launchTemplateOf(stack: StackView, ref: Block | undefined): ResourceView | undefined {
  if (!ref) return undefined;
  return stack.ofType("aws_launch_template").find((t) =>
    (ref.id !== undefined && stack.refersTo(ref.id, t))
    || (ref.name !== undefined && (stack.refersTo(ref.name, t) || (typeof t.config.name === "string" && ref.name === t.config.name))));
}

/** The Object Lock configurations of a bucket: aws_s3_bucket_object_lock_configuration resources, then the deprecated inline block. */
export function objectLocksOf(stack: StackView, bucket: ResourceView): Array<{ readonly address: string; readonly config: Block }> {
  return [
    ...stack.attachedTo("aws_s3_bucket_object_lock_configuration", "bucket", bucket, bucket.config.bucket),
    ...blocks(bucket.config.object_lock_configuration).map((config) => ({ address: bucket.address, config })),
  ];
}

/**
 * Default retention of an Object Lock configuration in days (years as calendar years with leap days, so 6 years
 * are 2192 days): undefined without `rule.default_retention`, NaN when its days or years is not a literal number.
 */
export function objectLockRetentionDays(lock: Block): number | undefined {
  const retention = blocks(lock.rule).flatMap((r) => blocks(r.default_retention))[0];
  if (!retention) return undefined;
  if (isSet(retention.days)) return literalNumber(retention.days) ?? NaN;
  if (!isSet(retention.years)) return undefined;
  const years = literalNumber(retention.years);
  return years === undefined ? NaN : Math.ceil(years * 365.25);
}

/** A value for a message: unset, a reference that cannot be checked at synth time, or the literal. */
export function shown(v: unknown, unset = "unset"): string {
  if (v === undefined || v === null) return unset;
  if (isReference(v)) return `a Terraform reference (${v}) that cannot be checked at synth time`;
  return JSON.stringify(v);
}

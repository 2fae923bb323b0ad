/* Readers for synthesized resource attributes, shared by the rules. */

/** A nested block's attributes. */
export type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every instance of a nested block; cdktf writes a single block as an object, several as an array. */
export function blocks(value: unknown): Block[] {
  if (Array.isArray(value)) return value.filter((b): b is Block => !!b && typeof b === "object");
  return value && typeof value === "object" ? [value as Block] : [];
}

/** The only instance of a nested block (max_items = 1). */
export function block(value: unknown): Block | undefined {
  return blocks(value)[0];
}

/** True for a Terraform expression such as "${aws_kms_key.k.arn}", whose value is known only at apply. */
export const isReference = (v: unknown): v is string => typeof v === "string" && v.includes("${");

/** true, or the string "true" (Terraform accepts both). */
export const isTrue = (v: unknown): boolean => v === true || (typeof v === "string" && v.trim().toLowerCase() === "true");

/** false, or the string "false". */
export const isFalse = (v: unknown): boolean => v === false || (typeof v === "string" && v.trim().toLowerCase() === "false");

/** 1, or the string "1". */
export const isOne = (v: unknown): boolean => v === 1 || (typeof v === "string" && v.trim() === "1");

/** Set for "must be set" checks: present and not empty; a Terraform reference counts. */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);

/** A number known at synth time; undefined for a Terraform expression. */
export function literalNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** A value for a message: unset, a reference that cannot be checked at synth time, or the literal. */
export function shown(v: unknown, unset = "unset"): string {
  if (v === undefined || v === null) return unset;
  if (isReference(v)) return `a Terraform reference (${v}) that cannot be checked at synth time`;
  return JSON.stringify(v);
}

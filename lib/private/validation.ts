import { Token } from "cdktf";
import { Construct } from "constructs";
import { ValidationError } from "../errors";

/**
 * Collects every problem with a construct's props, then throws once, so a user fixes
 * all of them in one pass. Checks skip values that are unresolved tokens: they are
 * only known at apply time.
 */
export class Problems {
  private readonly items: string[] = [];

  /** Records a problem: `prop` is the property path, `message` says what is wrong and how to fix it. */
  add(prop: string, message: string): void {
    this.items.push(`${prop}: ${message}`);
  }

  /** Records `message` for `prop` when `bad` is true. */
  when(bad: boolean, prop: string, message: string): void {
    if (bad) this.add(prop, message);
  }

  /** Adds problems found by another validator (e.g. a child construct's static check). */
  addAll(problems: readonly string[]): void {
    this.items.push(...problems);
  }

  /** The problems so far. */
  get list(): readonly string[] {
    return this.items;
  }

  /**
   * Throws a ValidationError naming the construct when any problem was recorded. The construct is
   * first detached from its parent, so a caller that catches the error is left with no trace of it
   * in the tree: never a half-built construct that synthesizes.
   */
  throwIfAny(construct: Construct, constructType: string): void {
    if (this.items.length === 0) return;
    construct.node.scope?.node.tryRemoveChild(construct.node.id);
    throw new ValidationError(construct.node.path, constructType, this.items);
  }
}

/** True when the value is a literal known at synth time (not a cdktf token). */
export function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return !Token.isUnresolved(value);
  if (typeof value === "number") return !Token.isUnresolved(value);
  return !Token.isUnresolved(value);
}

/** JSON-ish rendering of a user value for an error message. */
export function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses an IPv4 CIDR, or returns undefined when it is not one. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const m = CIDR_V4.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  return { base, prefix };
}

/** True when the CIDR admits every address (IPv4 or IPv6). */
export function isOpenToWorld(cidr: string): boolean {
  const c = cidr.trim();
  if (c === "::/0") return true;
  const parsed = parseCidr(c);
  return parsed !== undefined && parsed.prefix === 0;
}

/** DNS-1123 label: lower-case alphanumerics and "-", starting and ending alphanumeric, at most `max` characters. */
export function isDnsLabel(value: string, max = 63): boolean {
  return value.length <= max && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value);
}

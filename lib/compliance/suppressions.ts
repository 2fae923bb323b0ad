import { IConstruct } from "constructs";
import { ruleById } from "./rules";

/** A deliberate exception to a rule, with the reason an auditor reads. */
export interface ComplianceSuppression {
  /** Rule id, e.g. "VpcNoUnrestrictedRouteToIgw". */
  readonly id: string;
  /** Why the exception is acceptable: at least 10 characters; recorded in every report. */
  readonly reason: string;
  /**
   * Limits the suppression to resources under the construct whose Terraform address equals an entry, or whose
   * construct path is an entry or lies under it; an entry ending with "*" is a prefix glob.
   * @default - every resource under the construct
   */
  readonly appliesTo?: string[];
}

/** A suppression as recorded on the construct tree. */
export interface SuppressionRecord extends ComplianceSuppression {
  /** Path of the construct it was declared on. */
  readonly path: string;
}

const METADATA_TYPE = "secure-inference:compliance-suppression";

/** Records a suppression on a construct; throws when the reason is too short to explain anything. */
export function addSuppression(construct: IConstruct, suppression: ComplianceSuppression): void {
  const problems: string[] = [];
  if (!ruleById(suppression.id ?? "")) problems.push(`id: ${JSON.stringify(suppression.id)} is not a rule of the library (e.g. "S3BucketAccessLogging"); see ALL_RULES`);
  if ((suppression.reason ?? "").trim().length < 10) problems.push(`reason: ${JSON.stringify(suppression.reason)} must explain the exception in at least 10 characters`);
  if (suppression.appliesTo !== undefined && suppression.appliesTo.length === 0) problems.push("appliesTo: is empty; omit it to cover every resource under the construct");
  if (problems.length) throw new Error(`${construct.node.path}: invalid compliance suppression:\n- ${problems.join("\n- ")}`);
  construct.node.addMetadata(METADATA_TYPE, { ...suppression, appliesTo: suppression.appliesTo ? [...suppression.appliesTo] : undefined });
}

/** Every suppression that applies to `root`'s resources: declared on it, below it, or on its ancestors (e.g. the App). */
export function suppressionsUnder(root: IConstruct): SuppressionRecord[] {
  const declared = (c: IConstruct) => c.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => ({ ...(m.data as ComplianceSuppression), path: c.node.path }));
  const ancestors = root.node.scopes.slice(0, -1);
  return [...ancestors.flatMap(declared), ...root.node.findAll().flatMap(declared)];
}

/** True when `path` is `base` or lies under it ("a/b" covers "a/b/c", not "a/bc"); "" (the App) covers everything. */
function under(path: string, base: string): boolean {
  return base === "" || path === base || path.startsWith(`${base}/`);
}

/** True when the suppression covers a finding on the resource with this address and path. */
export function suppressionCovers(s: SuppressionRecord, ruleId: string, address: string, path: string): boolean {
  if (s.id !== ruleId) return false;
  if (!under(path, s.path)) return false;
  if (!s.appliesTo) return true;
  // An entry is a Terraform address, or a construct path covering everything under it; a trailing "*" is a plain prefix glob.
  return s.appliesTo.some((p) => (p.endsWith("*") ? address.startsWith(p.slice(0, -1)) || path.startsWith(p.slice(0, -1)) : address === p || under(path, p)));
}

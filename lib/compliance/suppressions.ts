import { IConstruct } from "constructs";

/** A deliberate exception to a rule, with the reason an auditor reads. */
export interface ComplianceSuppression {
  /** Rule id, e.g. "VpcNoUnrestrictedRouteToIgw". */
  readonly id: string;
  /** Why the exception is acceptable: at least 10 characters; recorded in every report. */
  readonly reason: string;
  /**
   * Limits the suppression to resources under the construct whose Terraform address or construct path
   * equals an entry, or starts with it when the entry ends with "*".
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
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(suppression.id ?? "")) problems.push(`id: ${JSON.stringify(suppression.id)} is not a rule id (e.g. "S3BucketAccessLogging")`);
  if ((suppression.reason ?? "").trim().length < 10) problems.push(`reason: ${JSON.stringify(suppression.reason)} must explain the exception in at least 10 characters`);
  if (suppression.appliesTo !== undefined && suppression.appliesTo.length === 0) problems.push("appliesTo: is empty; omit it to cover every resource under the construct");
  if (problems.length) throw new Error(`${construct.node.path}: invalid compliance suppression:\n- ${problems.join("\n- ")}`);
  construct.node.addMetadata(METADATA_TYPE, { ...suppression, appliesTo: suppression.appliesTo ? [...suppression.appliesTo] : undefined });
}

/** Every suppression declared on `root` or below it. */
export function suppressionsUnder(root: IConstruct): SuppressionRecord[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => ({ ...(m.data as ComplianceSuppression), path: c.node.path })),
  );
}

/** True when the suppression covers a finding on the resource with this address and path. */
export function suppressionCovers(s: SuppressionRecord, ruleId: string, address: string, path: string): boolean {
  if (s.id !== ruleId) return false;
  if (!(path === s.path || path.startsWith(`${s.path}/`))) return false;
  if (!s.appliesTo) return true;
  return s.appliesTo.some((p) => (p.endsWith("*") ? address.startsWith(p.slice(0, -1)) || path.startsWith(p.slice(0, -1)) : address === p || path === p));
}

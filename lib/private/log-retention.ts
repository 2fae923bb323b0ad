/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Default retention of the library's log groups: one year, the minimum most frameworks accept for audit-relevant logs. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;

/** Problem text for an invalid retention, or undefined when valid. */
export function logRetentionProblem(days: number): string | undefined {
  if ((LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    if (days < 365) return `${days} days keeps logs less than a year; use 365 or more (CloudWatch Logs values: ${LOG_RETENTION_DAYS.filter((d) => d >= 365).join(", ")})`;
    return undefined;
  }
  return `${days} is not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.filter((d) => d >= 365).join(", ")}`;
}

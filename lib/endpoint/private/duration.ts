/** Parses a duration such as "90s", "10m" or "1h" into seconds; undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * (m[2] === "s" ? 1 : m[2] === "m" ? 60 : 3600);
}

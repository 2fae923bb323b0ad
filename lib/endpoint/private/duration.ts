/** Parses a duration such as "90s", "10m" or "1h" into seconds; undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * (m[2] === "s" ? 1 : m[2] === "m" ? 60 : 3600);
}

/** Renders seconds as Argo/Go duration text: whole minutes as "10m", otherwise seconds. */
export function formatDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** Minutes with one decimal, for notes and reports. */
export function minutes(seconds: number): string {
  const m = seconds / 60;
  return Number.isInteger(m) ? `${m} min` : `${m.toFixed(1)} min`;
}

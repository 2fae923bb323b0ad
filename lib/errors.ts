/**
 * Thrown at synth time when a construct's props are invalid. The message names the
 * construct path, every invalid property, the value given and how to fix it.
 */
export class ValidationError extends Error {
  /** Path of the construct whose props were rejected, e.g. "platform/ml". */
  public readonly constructPath: string;
  /** One line per problem, without the construct path. */
  public readonly problems: readonly string[];

  constructor(constructPath: string, constructType: string, problems: readonly string[]) {
    super(`${constructPath}: invalid ${constructType} props (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n- ${problems.join("\n- ")}`);
    this.name = "ValidationError";
    this.constructPath = constructPath;
    this.problems = problems;
  }
}

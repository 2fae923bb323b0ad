import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** A stack with an AWS provider in us-east-1, for unit tests. */
export function awsStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

/** Synthesizes a stack: the string cdktf's matchers take, and the parsed JSON for direct assertions. */
export function synth(stack: TerraformStack): { raw: string; json: Record<string, any> } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw = Testing.synth(stack);
  return { raw, json: JSON.parse(raw) };
}

/** The synthesized resources of one type, keyed by logical id. */
export function resourcesOf(json: Record<string, any>, type: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails the test when there is not exactly one. */
export function onlyResource(json: Record<string, any>, type: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export { App };

export { parseTemplateJson } from "../lib/compliance/private/template-json";

/** Runs `fn` and returns what it wrote to stdout (the synth summary lines), without printing it. */
export function captureStdout(fn: () => void): string {
  const write = process.stdout.write.bind(process.stdout);
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

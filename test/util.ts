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

/**
 * Parses a JSON document that Terraform will render from a template: each `${...}`
 * interpolation (whose expression may hold quotes, e.g. `replace("a", "b", "")`) is kept as
 * text with its inner quotes turned into single quotes, so the document parses as JSON.
 */
export function parseTemplateJson(template: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  let out = "";
  for (let i = 0; i < template.length; i++) {
    if (template[i] === "$" && template[i + 1] === "{") {
      let depth = 0;
      let inString = false;
      let j = i + 1;
      for (; j < template.length; j++) {
        const c = template[j];
        if (inString) {
          if (c === "\\") j++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{") depth++;
        else if (c === "}" && --depth === 0) break;
      }
      out += template.slice(i, j + 1).replace(/"/g, "'");
      i = j;
    } else out += template[i];
  }
  return JSON.parse(out);
}

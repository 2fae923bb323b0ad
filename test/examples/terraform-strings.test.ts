import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildHipaaChatbot } from "../../examples/hipaa-chatbot/main";
import { buildMinimal } from "../../examples/minimal/main";
import { buildReferencePlatform } from "../../examples/reference-platform/main";
import { synthApp } from "../harness/offline-terraform";
import { locateTerraform } from "../harness/terraform";

/*
 * Terraform reads every string of the synthesized JSON as a template: "${...}" interpolates and
 * "%{...}" starts a directive. Shell scripts and curl formats in Kubernetes resources are strings
 * too, and the Kubernetes part of a stack is never validated offline (no kubernetes provider here),
 * so a shell "${VAR}" or curl's "%{http_code}" would only fail at plan time on a real cluster. This
 * guard finds them in every example; the escapes are "$${" and "%%{".
 */

function strings(value: unknown, at: string, out: Array<{ at: string; text: string }>): void {
  if (typeof value === "string") out.push({ at, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
}

/** "%{" not escaped as "%%{": a Terraform template directive. */
const DIRECTIVE = /(^|[^%])%\{/;
/** "${" followed by what only a shell writes (an upper-case variable, #, !, a digit): not escaped as "$${". */
const SHELL_INTERPOLATION = /(^|[^$])\$\{[A-Z0-9#!@*?]/;

const EXAMPLES = { "reference-platform": buildReferencePlatform, "hipaa-chatbot": buildHipaaChatbot, minimal: buildMinimal };

describe.each(Object.entries(EXAMPLES))("examples/%s strings under Terraform's template syntax", (_name, build) => {
  const { stacks } = synthApp((app) => { build(app); });
  const all = stacks.flatMap((s) => {
    const out: Array<{ at: string; text: string }> = [];
    strings(s.json.resource ?? {}, `${s.name}.resource`, out);
    return out;
  });

  it("has no unescaped template directive (%{)", () => {
    expect(all.filter((s) => DIRECTIVE.test(s.text)).map((s) => s.at)).toEqual([]);
  });

  it("has no shell-style ${VAR} that Terraform would try to interpolate", () => {
    expect(all.filter((s) => SHELL_INTERPOLATION.test(s.text)).map((s) => s.at)).toEqual([]);
  });
});

describe("the escapes the guard relies on, under the real Terraform CLI", () => {
  it("turns %%{ into %{ and $${ into ${ in an applied value, and rejects a bare %{http_code}", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-strings-"));
    const run = (body: string) => {
      fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(body));
      return spawnSync(locateTerraform().bin, ["validate", "-no-color"], { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    };
    const ok = run({ output: { x: { value: "curl -w '%%{http_code}' \"$${HOME}\"" } } } as never);
    expect(ok.status).toBe(0);
    const bad = run({ output: { x: { value: "curl -w '%{http_code}'" } } } as never);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/Invalid template control keyword/);
  });
});

import * as fs from "fs";
import * as path from "path";
import { Annotations, App, Aspects, IAspect, ISynthesisSession, TerraformStack } from "cdktf";
// Public in cdktf but not re-exported from its index: the hook that runs during a stack's synthesis, before its files are written.
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { IConstruct } from "constructs";
import { onStackSynthesis, reportSynthesisSummary, warn } from "../private/stack-synthesis";
import { ComplianceReport, evaluateStack } from "./engine";
import { CompliancePack } from "./model";
import { ALL_PACKS, FEDRAMP_MODERATE, GDPR, HIPAA, SOC2 } from "./packs";
import { isTrue } from "./private/attributes";
import { reportJson, reportMarkdown } from "./report";
import { AlbIngressTlsPolicy } from "./rules/alb-ingress";
import { ComplianceSuppression, addSuppression, suppressionsUnder } from "./suppressions";

/** File names of a stack's reports, written into its directory under the cdktf output folder. */
export const REPORT_FILES = { json: "compliance-report.json", markdown: "compliance-report.md" } as const;

const REGISTRY = Symbol.for("secure-inference.compliance.registry");
const WRAPPED = Symbol.for("secure-inference.compliance.app-synth-wrapped");

/** What a stack must be checked against: packs per scope (a construct path; the stack's own path = everything). */
interface Enforcement {
  readonly scopePath: string;
  readonly packs: readonly CompliancePack[];
}
type StackWithRegistry = TerraformStack & { [REGISTRY]?: Enforcement[] };

/**
 * The Aspect `enforce` adds to stacks: when cdktf synthesizes the stack it registers the stack's
 * compliance evaluation, which runs before the stack's Terraform is written.
 */
class ComplianceAspect implements IAspect {
  constructor(readonly enforcement: Enforcement) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node as StackWithRegistry;
    if (!stack[REGISTRY]) {
      stack[REGISTRY] = [];
      onStackSynthesis(stack, "compliance", (session, terraform) => synthesizeCompliance(stack, stack[REGISTRY]!, session, terraform()));
    }
    // Packs are merged by name at evaluation, so an enforcement seen twice costs nothing.
    if (!stack[REGISTRY]!.includes(this.enforcement)) stack[REGISTRY]!.push(this.enforcement);
  }
}

function synthesizeCompliance(stack: TerraformStack, enforcements: readonly Enforcement[], session: ISynthesisSession, json: Record<string, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const packs: CompliancePack[] = [];
  const scopes = new Map<string, string[]>();
  for (const e of enforcements) {
    for (const p of e.packs) {
      if (!packs.some((q) => q.name === p.name)) packs.push(p);
      scopes.set(p.name, [...(scopes.get(p.name) ?? []), e.scopePath]);
    }
  }
  // A pack enforced on a construct inside the stack checks that construct's resources; on the stack, everything.
  const report = evaluateStack(stack.node.id, json, packs, suppressionsUnder(stack), scopes);
  const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, REPORT_FILES.json), reportJson(report));
  fs.writeFileSync(path.join(dir, REPORT_FILES.markdown), reportMarkdown(report));
  // One line per stack on the console: resources, this, and the GPU plan where there is one.
  const errorCount = report.findings.filter((f) => f.level === "error").length;
  reportSynthesisSummary(
    stack,
    `compliance ${report.passed ? "PASS" : "FAIL"} (${report.packs.map((p) => p.name).join(", ")}: ${errorCount} errors, ${report.findings.length - errorCount} warnings, ${report.suppressedFindings.length} suppressed, ` +
      `${report.controlsNotEvaluated.length} controls not evaluated here)`,
  );
  for (const s of report.suppressions.filter((x) => x.relevant && x.matched === 0)) {
    warn(stack, `compliance suppression of ${s.id} on ${s.path} matches no finding; remove it (reason was: ${s.reason})`);
  }
  const warnings = report.findings.filter((f) => f.level === "warning");
  if (warnings.length) warn(stack, `compliance warnings:\n${warnings.map(line).join("\n")}`);
  const errors = report.findings.filter((f) => f.level === "error");
  if (errors.length) {
    Annotations.of(stack).addError(
      `compliance check failed: ${errors.length} finding(s) (reports in ${path.join(dir, REPORT_FILES.markdown)}); fix them or suppress with Compliance.suppress(construct, { id, reason }):\n${errors.map(line).join("\n")}`,
    );
  }
}

function line(f: ComplianceReport["findings"][number]): string {
  return `- [${f.pack} ${f.ruleId}] ${f.address} (${f.path}): ${f.message} Controls: ${f.controls.join(", ")}.${f.checkov.length ? ` checkov: ${f.checkov.join(", ")}.` : ""}`;
}

/**
 * Compliance as code: rule packs evaluated over every Terraform resource of a scope at synth time,
 * the library's and hand-written ones alike (the rules read the synthesized attributes).
 *
 * ```ts
 * Compliance.of(app).enforce(Compliance.HIPAA, Compliance.SOC2);
 * Compliance.suppress(bucket, { id: "S3BucketAccessLogging", reason: "public dataset mirror, logged by CloudFront" });
 * ```
 */
export class Compliance {
  /** HIPAA Security Rule pack. */
  static readonly HIPAA = HIPAA;
  /** SOC 2 Trust Services Criteria pack. */
  static readonly SOC2 = SOC2;
  /** FedRAMP Moderate (NIST SP 800-53 rev5) pack. */
  static readonly FEDRAMP_MODERATE = FEDRAMP_MODERATE;
  /** GDPR pack. */
  static readonly GDPR = GDPR;
  /** All four packs. */
  static readonly ALL = ALL_PACKS;

  /** The compliance handle of a scope (an App, a stack, or any construct). */
  static of(scope: IConstruct): Compliance {
    return new Compliance(scope);
  }

  /**
   * Accepts a finding of rule `id` on the construct and everything under it, with a reason
   * (at least 10 characters) that every report records. A suppression that matches nothing is reported.
   */
  static suppress(construct: IConstruct, suppression: ComplianceSuppression): void {
    addSuppression(construct, suppression);
  }

  /** Evaluates packs over a stack now (e.g. in tests), with the suppressions declared in it. */
  static evaluate(stack: TerraformStack, ...packs: CompliancePack[]): ComplianceReport {
    // As synth does: aspects first, so that fixes applied by aspects are what gets evaluated.
    invokeAspects(stack);
    return evaluateStack(stack.node.id, stack.toTerraform(), packs, suppressionsUnder(stack));
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * The packs enforced over this scope: on the App (every stack), or on its stack or a construct that contains it.
   * Complete only once the app is built: constructs that adapt to the packs (e.g. the ALB TLS policy) ask at synth.
   */
  enforcedPacks(): CompliancePack[] {
    const root = this.scope.node.root as App & { [WRAPPED]?: CompliancePack[][] };
    const packs: CompliancePack[] = [...(root[WRAPPED] ?? []).flat()];
    if (App.isApp(this.scope)) return packs;
    const path = this.scope.node.path;
    for (const aspect of Aspects.of(TerraformStack.of(this.scope)).all) {
      if (!(aspect instanceof ComplianceAspect)) continue;
      const s = aspect.enforcement.scopePath;
      if (s === "" || path === s || path.startsWith(`${s}/`)) packs.push(...aspect.enforcement.packs);
    }
    return packs;
  }

  /**
   * Evaluates these packs on every resource under the scope at each synth; errors fail the synth.
   * On an App it covers every stack, including stacks created after this call.
   */
  enforce(...packs: CompliancePack[]): void {
    if (packs.length === 0) throw new Error(`${this.scope.node.path || "app"}: Compliance.enforce needs at least one pack, e.g. Compliance.HIPAA`);
    if (App.isApp(this.scope)) {
      // cdktf invokes aspects from each stack down, so an aspect on the App itself would never run:
      // put one on every stack when the app synthesizes.
      const app = this.scope as App & { [WRAPPED]?: CompliancePack[][] };
      if (!app[WRAPPED]) {
        const calls: CompliancePack[][] = (app[WRAPPED] = []);
        const synth = app.synth.bind(app);
        const attached = new WeakSet<TerraformStack>();
        app.synth = () => {
          for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
            if (attached.has(stack)) continue;
            attached.add(stack);
            for (const p of calls) Aspects.of(stack).add(new ComplianceAspect({ scopePath: stack.node.path, packs: p }));
          }
          synth();
        };
      }
      app[WRAPPED]!.push(packs);
      return;
    }
    const stack = TerraformStack.of(this.scope);
    Aspects.of(stack).add(new ComplianceAspect({ scopePath: this.scope.node.path, packs }));
  }
}

/**
 * True when a pack enforced over `scope` applies AlbIngressTlsPolicy with requireFips (FedRAMP Moderate does): the ALB
 * Ingresses of the library then default to a FIPS security policy. Any such pack counts, so that the choice holds whichever
 * of two same-named packs the evaluation keeps.
 */
export function albFipsPolicyRequired(scope: IConstruct): boolean {
  return Compliance.of(scope).enforcedPacks().some((p) =>
    p.rules.some((r) => r.ruleId === AlbIngressTlsPolicy.id && isTrue({ ...AlbIngressTlsPolicy.params, ...r.params }.requireFips)));
}

/*
 * What a compliance rule is written against. Kept apart from model.ts (packs), which types rule ids from
 * the rule registry: the rules import this file, so importing the registry there creates no import cycle.
 */

/** What a rule says about one resource. */
export type RuleStatus = "compliant" | "non-compliant" | "not-applicable";

/** One synthesized Terraform resource (or data source) as rules see it. */
export interface ResourceView {
  /** Terraform type, e.g. "aws_s3_bucket". */
  readonly type: string;
  /** Logical name in the stack, e.g. "ml_model-bucket_bucket_1A2B3C4D". */
  readonly name: string;
  /** Terraform address, e.g. "aws_s3_bucket.ml_model-bucket_bucket_1A2B3C4D" ("data." prefix for data sources). */
  readonly address: string;
  /** Construct path, e.g. "platform/ml/model-bucket/bucket". */
  readonly path: string;
  /** "managed" for resources, "data" for data sources. */
  readonly mode: "managed" | "data";
  /** The synthesized attributes (snake_case, tokens resolved to Terraform expressions such as "${aws_kms_key.k.arn}"). */
  readonly config: Readonly<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** All resources of one stack, for rules that look across resources. */
export interface StackView {
  /** Stack name. */
  readonly name: string;
  /** Every managed resource and data source. */
  readonly resources: readonly ResourceView[];
  /** Managed resources of one Terraform type. */
  ofType(type: string): readonly ResourceView[];
  /** True when `value` (any attribute value, searched deeply) refers to `target`, e.g. "${aws_s3_bucket.b.id}". */
  refersTo(value: unknown, target: ResourceView): boolean;
  /** Managed resources of `type` with an attribute `attribute` that refers to `target` (or equals its literal `matchLiteral`). */
  attachedTo(type: string, attribute: string, target: ResourceView, matchLiteral?: unknown): readonly ResourceView[];
}

/** Rule parameters, e.g. { minDays: 365 }; packs override the rule's defaults. */
export type RuleParams = Readonly<Record<string, number | string | boolean>>;

/** Input of a rule evaluation. */
export interface RuleContext {
  /** The resource under evaluation (one of the rule's resourceTypes). */
  readonly resource: ResourceView;
  /** Its stack. */
  readonly stack: StackView;
  /** The rule's default params merged with the pack's. */
  readonly params: RuleParams;
}

/** Result of a rule on one resource. */
export interface RuleOutcome {
  /** The verdict. */
  readonly status: RuleStatus;
  /** For non-compliant: what is wrong and how to fix it, in one sentence. */
  readonly message?: string;
}

/**
 * A compliance rule: a pure function over one synthesized resource (and its stack), in the
 * shape of cdk-nag's rules. Ids are PascalCase and stable: reports and suppressions use them.
 * @typeParam Id - the id as a literal type, from which the registry derives the ids packs may name.
 */
export interface ComplianceRule<Id extends string = string> {
  /** Stable id, e.g. "S3BucketVersioningEnabled". */
  readonly id: Id;
  /** One line: what a compliant resource does. */
  readonly description: string;
  /** Why it matters, for the report. */
  readonly explanation: string;
  /** Terraform resource types the rule evaluates. */
  readonly resourceTypes: readonly string[];
  /**
   * Terraform data source types the rule evaluates on their own as well (e.g. a data.aws_iam_policy_document,
   * which checkov judges whether or not a policy uses it); the rule sees them as ResourceViews of mode "data".
   * @default - none
   */
  readonly dataSourceTypes?: readonly string[];
  /** checkov check ids covering the same check, where one exists. */
  readonly checkov?: readonly string[];
  /** cdk-nag rule names covering the same check, where one exists. */
  readonly cdkNag?: readonly string[];
  /** Default parameters. */
  readonly params?: RuleParams;
  /**
   * Who answers for the check when a stack holds none of its resourceTypes (the report then says "not
   * evaluated", never "pass"), e.g. "the owner of an existing VPC: its flow logs are outside this app".
   * @default - where those resources are managed: another stack of the app, or outside it
   */
  readonly notEvaluatedNote?: string;
  /** Evaluates one resource. */
  evaluate(ctx: RuleContext): RuleOutcome;
}

/** Helpers for rule authors. */
export const Outcome = {
  /** The resource satisfies the rule. */
  compliant: (): RuleOutcome => ({ status: "compliant" }),
  /** The resource violates the rule; `message` says what and how to fix. */
  nonCompliant: (message: string): RuleOutcome => ({ status: "non-compliant", message }),
  /** The rule does not apply to this resource. */
  notApplicable: (): RuleOutcome => ({ status: "not-applicable" }),
} as const;

/** Tag that SecureBucket (and users) put on buckets to declare what they hold. */
export const DATA_CLASS_TAG = "secure-inference/data-class";

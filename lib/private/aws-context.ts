import { TerraformStack, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** Account, partition and region of a stack's default AWS provider, as Terraform references. */
export interface AwsContext {
  /** The account id (one read-only STS call at plan time). */
  readonly accountId: string;
  /** "aws", "aws-us-gov" or "aws-cn" (no API call). */
  readonly partition: string;
  /** DNS suffix of the partition's service endpoints, e.g. "amazonaws.com" (no API call). */
  readonly dnsSuffix: string;
  /** The provider's region (no API call). */
  readonly region: string;
  /** Prefix of VPC endpoint service names: "com.amazonaws", or "cn.com.amazonaws" in China (no API call). */
  readonly reverseDnsPrefix: string;
}

const ID = "SecureInferenceAwsContext";

class AwsContextConstruct extends Construct implements AwsContext {
  public readonly accountId: string;
  public readonly partition: string;
  public readonly dnsSuffix: string;
  public readonly region: string;
  public readonly reverseDnsPrefix: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const partition = new DataAwsPartition(this, "partition");
    const region = new DataAwsRegion(this, "region");
    const identity = new DataAwsCallerIdentity(this, "identity");
    this.accountId = identity.accountId;
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
    this.region = region.name;
    this.reverseDnsPrefix = partition.reverseDnsPrefix;
  }
}

/** The stack's shared AwsContext, created once per stack on first use. */
export function awsContext(scope: Construct): AwsContext {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ID);
  return (existing as AwsContextConstruct | undefined) ?? new AwsContextConstruct(stack, ID);
}

/** The literal region of the stack's default (unaliased) AWS provider, or undefined when it is a reference or absent. */
export function providerRegion(scope: Construct): string | undefined {
  const stack = TerraformStack.of(scope);
  const provider = stack.node.children.find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
  const region = provider?.region;
  return region !== undefined && !Token.isUnresolved(region) ? region : undefined;
}

/** Names claimed per app: kind -> name -> claims (construct path and region). */
const CLAIMS = new WeakMap<IConstruct, Map<string, Array<{ path: string; region?: string }>>>();

/**
 * For a kind of AWS object whose names are unique per account and region (e.g. an EKS cluster): the
 * path of another construct of the app that claimed `name` in the same region, or in a region not
 * known at synth time, if any; else undefined, and `claim()` records this construct's use of it.
 */
export function uniqueNameClaim(scope: Construct, kind: string, name: string): { readonly twin?: string; claim(): void } {
  const root = scope.node.root;
  const byKind = CLAIMS.get(root) ?? new Map<string, Array<{ path: string; region?: string }>>();
  CLAIMS.set(root, byKind);
  const key = `${kind}\u0000${name}`;
  const region = providerRegion(scope);
  const claims = byKind.get(key) ?? [];
  const twin = claims.find((c) => c.path !== scope.node.path && (c.region === undefined || region === undefined || c.region === region));
  return { twin: twin?.path, claim: () => byKind.set(key, [...claims, { path: scope.node.path, region }]) };
}

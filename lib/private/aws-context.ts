import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

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

/*
 * Building blocks the router's datastores share: a security group that admits one port from the
 * cluster's nodes, and a secret whose value Secrets Manager generates during the apply and
 * Terraform writes write-only (in neither the plan nor the state).
 */
import { createHash } from "crypto";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

/** Where a router's datastore lives and what names it: shared by its cache and its database. */
export interface DatastorePlacement {
  /** Lower-case id prefix of the router's datastores: `<cluster prefix>-<hash of the router's path>`. */
  readonly idBase: string;
  /** Cluster name, for names and descriptions. */
  readonly clusterName: string;
  /** `<namespace>/<name>` of the router, for descriptions. */
  readonly routerRef: string;
  readonly vpcId: string;
  /** The cluster's private subnets. */
  readonly subnetIds: string[];
  /** Security group of the cluster's nodes (EKS cluster security group), the only one admitted. */
  readonly clientSecurityGroupId: string;
  readonly tags: Record<string, string>;
}

/**
 * A security group (construct id "security-group") admitting TCP `port` from the cluster security
 * group only (rule id "from-cluster"), with no egress rule: a datastore initiates no connection.
 */
export function clusterClientSecurityGroup(scope: Construct, props: {
  name: string;
  description: string;
  ruleDescription: string;
  vpcId: string;
  port: number;
  clientSecurityGroupId: string;
  tags: Record<string, string>;
}): SecurityGroup {
  const sg = new SecurityGroup(scope, "security-group", {
    name: props.name,
    description: props.description,
    vpcId: props.vpcId,
    tags: { ...props.tags, Name: props.name },
  });
  new VpcSecurityGroupIngressRule(scope, "from-cluster", {
    securityGroupId: sg.id,
    description: props.ruleDescription,
    ipProtocol: "tcp",
    fromPort: props.port,
    toPort: props.port,
    referencedSecurityGroupId: props.clientSecurityGroupId,
  });
  return sg;
}

/** A secret with a value generated in AWS and written write-only. */
export interface GeneratedSecret {
  readonly secret: SecretsmanagerSecret;
  /** The write-only version; what must run after the value is stored depends on it. */
  readonly version: SecretsmanagerSecretVersion;
  /** Reference to the generated value (ephemeral: usable only in write-only attributes of the same run). */
  readonly generatedValue: string;
}

/**
 * A Secrets Manager secret (construct id `id`) whose value Secrets Manager generates
 * (GetRandomPassword, letters and digits only, through an ephemeral resource) and Terraform writes
 * with a write-only attribute (`<id>-value`): neither the value nor a hash of it is in the plan or
 * the state. Raising `version` writes a new value. cdktf 0.21 has no binding for ephemeral
 * resources, so the block is a stack override named `<ephemeralBase>_<hash of the path>`.
 */
export function generatedSecret(scope: Construct, id: string, props: {
  namePrefix: string;
  description: string;
  kmsKeyId: string;
  version: number;
  length: number;
  /** Prepended to the generated value in the secret, e.g. "sk-". */
  valuePrefix?: string;
  /** Terraform name of the ephemeral resource, before the hash: letters, digits and "_". */
  ephemeralBase: string;
  tags: Record<string, string>;
}): GeneratedSecret {
  const secret = new SecretsmanagerSecret(scope, id, {
    // A prefix: a deleted secret keeps its name through the recovery window, and re-creating it
    // within that window would otherwise fail.
    namePrefix: props.namePrefix,
    description: props.description,
    kmsKeyId: props.kmsKeyId,
    recoveryWindowInDays: 30,
    tags: props.tags,
  });
  const ephemeral = `${props.ephemeralBase.replace(/[^a-zA-Z0-9_]/g, "_")}_${createHash("sha256").update(scope.node.path).digest("hex").slice(0, 8)}`;
  TerraformStack.of(scope).addOverride(`ephemeral.aws_secretsmanager_random_password.${ephemeral}`, {
    password_length: props.length,
    // Letters and digits only: values travel in HTTP headers, connection strings and shells.
    exclude_punctuation: true,
    require_each_included_type: true,
  });
  const generatedValue = `\${ephemeral.aws_secretsmanager_random_password.${ephemeral}.random_password}`;
  const version = new SecretsmanagerSecretVersion(scope, `${id}-value`, {
    secretId: secret.id,
    secretStringWo: `${props.valuePrefix ?? ""}${generatedValue}`,
    secretStringWoVersion: props.version,
  });
  return { secret, version, generatedValue };
}

/**
 * The prefix of a router's ElastiCache and RDS ids (lower-case letters, digits and single hyphens,
 * starting with a letter; replication group ids take at most 40 characters): the first 20
 * characters of the cluster name, normalized. GitHub deploy roles scope their ElastiCache and RDS
 * permissions to the same prefix of their resource name prefix.
 */
export function datastoreIdPrefix(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-{2,}/g, "-").slice(0, 20).replace(/-+$/, "");
}

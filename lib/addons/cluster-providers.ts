import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { ClusterConnection } from "../cluster/cluster-connection";
import { ValidationError } from "../errors";

/** The client-go credential plugin API version that `aws eks get-token` speaks. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/**
 * The kubernetes and helm providers of one stack for one cluster, authenticated with
 * `aws eks get-token` on every call (exec plugin), so a long apply never outlives a token.
 * Get it with ClusterProviders.of(scope, connection): constructs in one stack share one pair.
 */
export class ClusterProviders extends Construct {
  /**
   * The providers for `connection` in the stack of `scope`, created on first use. The cluster must come
   * from another stack: providers cannot be configured from a cluster created in the same apply.
   */
  static of(scope: Construct, connection: ClusterConnection): ClusterProviders {
    const stack = TerraformStack.of(scope);
    if (stack.node.path === connection.platformStackPath) {
      throw new ValidationError(`${scope.node.path}`, "ClusterProviders", [
        `connection: the cluster ${connection.clusterName} is created in this same stack (${stack.node.path}). Terraform configures providers before it creates resources, ` +
          `so the kubernetes and helm providers of a stack cannot use a cluster that stack creates ("Unauthorized" or "cluster unreachable" on the first apply). ` +
          `Put the add-ons and endpoints in their own stack (e.g. "addons") and pass cluster.connection to it; cdktf wires the cross-stack references.`,
      ]);
    }
    const id = `ClusterProviders-${connection.clusterName}`;
    const existing = stack.node.tryFindChild(id) as ClusterProviders | undefined;
    if (existing) return existing;
    // The first cluster of a stack gets the default providers; further clusters get aliased ones.
    const others = stack.node.children.filter((c) => c instanceof ClusterProviders).length;
    return new ClusterProviders(stack, id, connection, others === 0 ? undefined : connection.clusterName);
  }

  /** The kubernetes provider. */
  public readonly kubernetes: KubernetesProvider;
  /** The helm provider. */
  public readonly helm: HelmProvider;
  /** Provider alias, undefined for the stack's default providers. */
  public readonly alias?: string;

  private constructor(scope: Construct, id: string, connection: ClusterConnection, alias?: string) {
    super(scope, id);
    this.alias = alias;
    const clusterCaCertificate = Fn.base64decode(connection.certificateAuthorityData);
    const args = ["eks", "get-token", "--cluster-name", connection.clusterName, "--region", connection.region, "--output", "json"];
    this.kubernetes = new KubernetesProvider(this, "kubernetes", {
      alias,
      host: connection.endpoint,
      clusterCaCertificate,
      exec: [{ apiVersion: EXEC_API_VERSION, command: "aws", args }],
    });
    this.helm = new HelmProvider(this, "helm", {
      alias,
      kubernetes: { host: connection.endpoint, clusterCaCertificate, exec: { apiVersion: EXEC_API_VERSION, command: "aws", args } },
    });
  }
}

import { createHash } from "crypto";
import { datastoreIdPrefix } from "../../private/datastore";

/**
 * Id base of a router's datastores, shared by its response cache (replication group, users, subnet
 * group) and its database (`<base>-litellm`): lower-case letters, digits and single hyphens, starting
 * with a letter, at most 40 characters. The first 20 characters of the cluster name (what deploy
 * roles are scoped to), then a hash of the router's construct path (unique per router).
 */
export function datastoreIdBase(clusterName: string, constructPath: string): string {
  return `${datastoreIdPrefix(clusterName)}-${createHash("sha256").update(constructPath).digest("hex").slice(0, 8)}`;
}

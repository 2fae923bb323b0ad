/**
 * ElastiCache ids (replication groups, subnet groups, users, user groups): lower-case letters, digits
 * and single hyphens, starting with a letter, at most 40 characters for replication groups. Router
 * response caches start their ids with this prefix of the cluster name, and GitHub deploy roles
 * scope their ElastiCache permissions to the same prefix of their resource name prefix.
 */
export function elasticacheIdPrefix(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-{2,}/g, "-").slice(0, 20).replace(/-+$/, "");
}

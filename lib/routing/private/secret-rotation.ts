import { addSuppression } from "../../compliance/suppressions";
import type { GeneratedSecret } from "../../private/datastore";

/**
 * The router's generated secrets (master key, team keys, database admin password) rotate when their
 * `keyVersion`/`version` is raised: Terraform writes a new value write-only and rolls the pods and Jobs
 * that read it. A Secrets Manager rotation Lambda would change the value behind LiteLLM (which holds the
 * keys in its database) and the router's running pods, so SecretsManagerRotation is accepted with that reason.
 */
export function rotatedByVersion(secret: GeneratedSecret, how: string): void {
  addSuppression(secret.secret, {
    id: "SecretsManagerRotation",
    reason: `Rotated by raising ${how}: Terraform writes a new value write-only and restarts what reads it; a rotation Lambda would change the value behind LiteLLM and its running pods.`,
  });
}

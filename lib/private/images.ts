import { isLiteral, show } from "./validation";

/** The aws-cli image that copies model weights and CA bundles from S3 (public ECR, official AWS image). */
export const MODEL_FETCH_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.22.0";

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Problems with a container image reference, each starting with `prop`: it must be pinned by a tag
 * other than "latest" or by a sha256 digest, so every node runs the same bits. Tokens pass (known
 * at apply time). `example` is a pinned reference to suggest.
 */
export function imageProblems(prop: string, image: unknown, example: string): string[] {
  if (image !== undefined && image !== null && !isLiteral(image)) return [];
  if (typeof image !== "string" || image.trim() === "" || /\s/.test(image)) {
    return [`${prop}: ${show(image)} is not an image reference; give one pinned by tag or digest, e.g. ${show(example)}`];
  }
  const at = image.indexOf("@");
  if (at >= 0) {
    const digest = image.slice(at + 1);
    if (DIGEST.test(digest)) return [];
    return [`${prop}: ${show(image)} has a malformed digest ${show(digest)}; a digest is "sha256:" and 64 lower-case hex digits, e.g. "${image.slice(0, at)}@sha256:<64 hex>"`];
  }
  const colon = image.lastIndexOf(":");
  if (colon <= image.lastIndexOf("/")) {
    return [`${prop}: ${show(image)} has no tag or digest, so each node may pull a different image; pin a version, e.g. ${show(example)}`];
  }
  const tag = image.slice(colon + 1);
  if (tag.toLowerCase() === "latest") return [`${prop}: ${show(image)} uses the moving tag "latest"; pin a version, e.g. ${show(example)}`];
  if (!TAG.test(tag)) return [`${prop}: ${show(image)} has a malformed tag ${show(tag)}; pin a version, e.g. ${show(example)}`];
  return [];
}

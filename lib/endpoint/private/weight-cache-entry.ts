/*
 * Where an endpoint's weights live in its pool's node-level cache (weight-cache.ts builds the filler, the
 * volume and the init container from it). Pure: resolve-endpoint computes it.
 */
import { createHash } from "crypto";
import { WEIGHT_CACHE_HOST_PATH } from "../../planning/gpu-pool-description";

/** Where the endpoint's cache directory is mounted (read-only) in its server pods. */
export const WEIGHT_CACHE_MOUNT = "/weight-cache";
/** A key no filler has held for this long may be evicted (a day: longer than any canary holds its stable). */
export const LEASE_STALE_SECONDS = 86_400;
/** Seconds between two listings of the model's objects by a filler (a version replaced in place is picked up). */
export const REFRESH_SECONDS = 300;
/** A pod that finds neither the version nor a fill in progress waits this long for a filler to start (a new node). */
export const FILLER_GRACE_SECONDS = 20;

/** Where an endpoint's entry lives, and how long its pods wait for a fill. */
export interface EndpointWeightCache {
  /** The source key: 16 hex digits of SHA-256 over the model's S3 prefix. */
  readonly key: string;
  /** The endpoint's directory on each node, the PersistentVolume's host path. */
  readonly hostDirectory: string;
  /** The pool's bound, GiB. */
  readonly maxSizeGiB: number;
  /** Longest a pod waits for a fill in progress before downloading its own copy. */
  readonly waitSeconds: number;
  /** Longest a filler's download may take before it is abandoned (a hung transfer must not hold its reservation). */
  readonly fillTimeoutSeconds: number;
  /** Names: the filler DaemonSet and its service account (in the weight-cache namespace), the PersistentVolume, the claim. */
  readonly names: { readonly filler: string; readonly volume: string; readonly claim: string };
}

/** The entry of a model source: "s-" and 16 hex digits of its SHA-256. */
export function weightCacheKey(source: string): string {
  return `s-${createHash("sha256").update(source).digest("hex").slice(0, 16)}`;
}

/** The cache an endpoint uses: its names and directories. `downloadSeconds` is the planned download of one copy. */
export function endpointWeightCache(namespace: string, name: string, source: string, maxSizeGiB: number, downloadSeconds: number): EndpointWeightCache {
  // Unique per namespace and endpoint ("team-a"/"chat" and "team"/"a-chat" differ), at most 49 characters: a label value.
  const filler = `${name}-${createHash("sha256").update(`${namespace}/${name}`).digest("hex").slice(0, 8)}`;
  return {
    key: weightCacheKey(source),
    hostDirectory: `${WEIGHT_CACHE_HOST_PATH}/${namespace}/${name}`,
    maxSizeGiB,
    // The filler downloads at the same rate as a pod would: three times the plan before giving up on it.
    waitSeconds: 3 * downloadSeconds + 60,
    fillTimeoutSeconds: 10 * downloadSeconds + 600,
    names: { filler, volume: `${filler}-weight-cache`, claim: `${name}-weight-cache` },
  };
}

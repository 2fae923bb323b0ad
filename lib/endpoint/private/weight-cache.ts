/*
 * The node-level weight cache of an endpoint whose server reads local files (TGI, Triton, custom), on a
 * pool with `weightCache`. Three parts:
 *
 * - A filler: a DaemonSet per endpoint in the `weight-cache` namespace, on every node of the pool. It lists
 *   the model's objects (key, size, ETag: the version), downloads them once with the AWS CLI's CRT client
 *   into a staging directory, verifies them, publishes the version atomically, keeps a lease while it runs,
 *   and evicts what no filler holds when a fill needs room under the pool's bound.
 * - A hostPath PersistentVolume of the endpoint's own cache directory with a claim in the endpoint's
 *   namespace, pre-bound to each other. Restricted Pod Security refuses a hostPath volume in a pod but
 *   admits a claim; only cluster administrators create PersistentVolumes, and this one is bound to this
 *   claim and mounted read-only. (KServe's LocalModelCache serves a node group the same way, one local
 *   PersistentVolume across its nodes: kserve/website docs/modelserving/storage/modelcache/localmodel.md.)
 * - The server pod's init container: links the cached version's files into the pod's model directory when
 *   the node holds it and checks every link against the version's manifest, waits for a fill in progress, and
 *   otherwise downloads the pod's own copy as before.
 *
 * On disk (the host path, on the encrypted data volume), per node:
 *   <root>/<namespace>/<endpoint>/<source key>/current     -> v-<version>, swapped atomically
 *   <root>/<namespace>/<endpoint>/<source key>/v-<version>/ the files, and .manifest (the listing they match)
 *   <root>/<namespace>/<endpoint>/<source key>/.staging-v-<version>/  a fill in progress, never read
 *   <root>/<namespace>/<endpoint>/<source key>/.lease       touched every minute while a filler holds the key
 *   <root>/<namespace>/<endpoint>/<source key>/.filling     touched every 20 s while it downloads
 *   <root>/<namespace>/<endpoint>/<source key>/.reserved    bytes a fill in progress will add
 * The source key is a hash of the model's S3 prefix (the bucket is the cluster's); the version a hash of
 * the sorted listing (key, size, ETag of every object), so an object replaced in place is a new version.
 *
 * Verification: the CRT client asks S3 for the object's checksum on every GET and fails the transfer on a
 * mismatch (`S3ChecksumConfig(validate_response=True)`), and writes to a temporary name renamed when the
 * object is complete (aws/aws-cli@2.22.0:awscli/s3transfer/crt.py:786-801); `aws s3 sync` exits non-zero
 * when any object fails. The filler then checks every listed object is there at its listed size, and lists
 * again: a version whose objects changed during the download is discarded. Only then is it published, under
 * the node's lock (no eviction between the rename and the link). Objects replaced in place unpublish the old
 * version at once; it stays on disk for STALE_SECONDS for the pods that link it.
 *
 * Host access on Bottlerocket: /var is the data partition (/local/var, bottlerocket-os/bottlerocket-core-kit@a10182f:
 * packages/release/var.mount), whose files carry local_t; container processes may write "most of the files and
 * directories on /local" (packages/selinux-policy/rules.cil, `allow unconfined_s shared_o`, local_t in shared_o,
 * object.cil:141-142) and read them from any container (local_t is not MCS-constrained, object.cil:149-154).
 * Not run on a node here.
 */
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { GPU_TAINT, NodeLabels } from "../../cluster/node-labels";
import { downloadTargetGbps } from "../../planning/cold-start";
import { WEIGHT_CACHE_HOST_PATH, WEIGHT_CACHE_NAMESPACE } from "../../planning/gpu-pool-description";
import { MODEL_FETCH_IMAGE } from "../../private/images";
import { awsContext } from "../../private/aws-context";
import { PodIdentityRole } from "../../security/pod-identity-role";
import { modelReadPolicy } from "../../security/private/model-read-policy";
import type { ResolvedEndpoint } from "./resolve-endpoint";
import { FILLER_GRACE_SECONDS, LEASE_STALE_SECONDS, REFRESH_SECONDS, WEIGHT_CACHE_MOUNT, type EndpointWeightCache } from "./weight-cache-entry";

/**
 * The AWS CLI's S3 transfers on the CRT client, at the replica's network share: "may make adjustments mid-transfer
 * command in order to increase throughput" (aws/aws-cli@2.22.0:awscli/topics/s3-config.rst:269-360; "auto" picks it
 * only on p4d/p5/trn1). The config goes to $HOME/.aws/config. Environment: TARGET_GBPS.
 */
const CRT_CONFIG = `aws configure set default.s3.preferred_transfer_client crt
aws configure set default.s3.target_bandwidth "$TARGET_GBPS"Gb/s
`;

/**
 * A pod's own copy of the weights, the path without a cache and a cache's fallback. `sync` exits non-zero when any
 * object fails, so the server never starts on a partial copy. Environment: BUCKET, PREFIX, MODEL_DIR, TARGET_GBPS.
 */
export const DOWNLOAD_SCRIPT = `set -e
${CRT_CONFIG}exec aws s3 sync --only-show-errors --no-progress "s3://$BUCKET/$PREFIX" "$MODEL_DIR"
`;

/**
 * The filler, a POSIX shell script run by the AWS CLI image (coreutils only: no awk, grep or find).
 * Environment: CACHE_ROOT, ENTRY (namespace/endpoint/key), BUCKET, PREFIX (ends in "/"), MAX_BYTES,
 * TARGET_GBPS, FILL_TIMEOUT_SECONDS, REFRESH_SECONDS, STALE_SECONDS; ONCE=1 runs one pass and exits with its status (tests).
 * Beside its key, the endpoint's directory records the key its filler holds (.active) and the one it held
 * before (.previous), whose lease the filler keeps too: the stable version of a canary, or the one a rollback
 * returned to, stays cached while the endpoint lives.
 */
export const FILLER_SCRIPT = `set -u
umask 022
tab=$(printf '\\t')
root=$CACHE_ROOT
entry=$root/$ENTRY
# The endpoint's directory: its keys (one per model prefix) and which key its filler held before this one.
home=\${entry%/*}
key=\${entry##*/}
log() { echo "weight-cache: $*"; }
now() { date +%s; }
# Seconds since a file changed; large when it is gone. (Functions share variables: each uses names of its own.)
age() { mtime=$(stat -c %Y "$1" 2>/dev/null) || { echo 999999999; return; }; echo $(($(now) - mtime)); }
fresh() { [ "$(age "$1")" -lt "$2" ]; }

# SIGTERM (a DaemonSet update, a node drain): release the lock if held, stop the download and its heartbeat, and go.
locked=0
sync_pid=
beat_pid=
stop() {
  [ -n "$sync_pid" ] && kill "$sync_pid" 2>/dev/null
  [ -n "$beat_pid" ] && kill "$beat_pid" 2>/dev/null
  rm -f "$entry/.filling" "$entry/.reserved" "$entry/.listing" "$entry/.listing.after"
  [ "$locked" = 1 ] && rmdir "$root/.lock" 2>/dev/null
  exit 143
}
trap stop TERM INT

# Key, size and ETag of every object under the prefix (every page), sorted: the version's identity. Text output
# writes each [Key, Size, ETag] as one tab-separated line, and "None" when there are no Contents
# (aws/aws-cli@2.22.0:awscli/text.py:19-28, 61-69; Object members Key, ETag, Size: botocore/data/s3/2006-03-01/service-2.json).
listing() {
  aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX" --query 'Contents[].[Key,Size,ETag]' --output text > "$1.raw" || { rm -f "$1.raw"; return 1; }
  while IFS= read -r line; do [ "$line" = None ] || printf '%s\\n' "$line"; done < "$1.raw" | LC_ALL=C sort > "$1" || { rm -f "$1.raw"; return 1; }
  rm -f "$1.raw"
  return 0
}
version_of() { echo "v-$(sha256sum < "$1" | cut -c1-16)"; }
bytes_of() { bytes=0; while IFS=$tab read -r k size etag; do bytes=$((bytes + size)); done < "$1"; echo "$bytes"; }

# Every listed object is in the directory at its listed size (directory markers skipped).
verify() {
  while IFS=$tab read -r k size etag; do
    rel=\${k#"$PREFIX"}
    case $rel in '' | */) continue ;; esac
    [ -f "$2/$rel" ] || { log "verification failed: $rel is missing"; return 1; }
    got=$(stat -c %s "$2/$rel")
    [ "$got" = "$size" ] || { log "verification failed: $rel has $got bytes, S3 lists $size"; return 1; }
  done < "$1"
}

# Bytes on disk (fills in progress and leftovers included), plus what the other fills in progress reserved and
# have not written yet, counted whole: conservative, so concurrent fills never exceed the bound together.
used() {
  set -- $(du -sk "$root" 2>/dev/null)
  used_total=$((\${1:-0} * 1024))
  for reservation in $(ls "$root"/*/*/*/.reserved 2>/dev/null); do
    reserver=\${reservation%/*}
    [ "$reserver" = "$entry" ] && continue
    fresh "$reserver/.filling" 120 || continue
    reserved=$(cat "$reservation" 2>/dev/null) || continue
    used_total=$((used_total + \${reserved:-0}))
  done
  echo "$used_total"
}

# The oldest thing nobody holds. A version that is not its key's current one, once superseded for STALE_SECONDS (pods
# may still link it); a staging directory whose fill stopped; a key whose lease is older than STALE_SECONDS.
# Never a held key's current version.
victim() {
  for candidate in $(ls -dtr "$root"/*/*/*/v-* "$root"/*/*/*/.staging-* 2>/dev/null); do
    holder=\${candidate%/*}
    name=\${candidate##*/}
    case $name in
      .staging-*) fresh "$holder/.filling" 120 && continue ;;
      *)
        [ "$(readlink "$holder/current" 2>/dev/null)" = "$name" ] && continue
        fresh "$candidate" "$STALE_SECONDS" && continue
        ;;
    esac
    echo "$candidate"
    return 0
  done
  for lease in $(ls -tr "$root"/*/*/*/.lease 2>/dev/null); do
    holder=\${lease%/*}
    [ "$holder" = "$entry" ] && continue
    fresh "$lease" "$STALE_SECONDS" && return 1
    echo "$holder"
    return 0
  done
  return 1
}

lock() {
  until mkdir "$root/.lock" 2>/dev/null; do
    fresh "$root/.lock" 600 || rmdir "$root/.lock" 2>/dev/null
    sleep 1
  done
  locked=1
}
unlock() {
  rmdir "$root/.lock" 2>/dev/null
  locked=0
}

# Under the lock: evicts until $1 more bytes fit under MAX_BYTES and reserves them; fails when they cannot fit.
# An evicted directory is renamed away first, so a pod never links a half-deleted one.
make_room() {
  while :; do
    u=$(used)
    [ -n "$u" ] || u=$MAX_BYTES
    [ $((u + $1)) -le "$MAX_BYTES" ] && break
    evicted=$(victim) || { log "cache full: $1 bytes do not fit under $MAX_BYTES beside what is held; raise the pool's weightCache.maxSizeGiB (pods download their own copies meanwhile)"; return 1; }
    mv "$evicted" "$root/.trash-$$" && rm -rf "$root/.trash-$$"
    log "evicted \${evicted#"$root"/}"
  done
  echo "$1" > "$entry/.reserved"
}

# Makes $1 the version pods link, atomically. The version it replaces starts its STALE_SECONDS of grace now.
publish() {
  old=$(readlink "$entry/current" 2>/dev/null)
  ln -sfn "$1" "$entry/.current.tmp" && mv -T "$entry/.current.tmp" "$entry/current"
  [ -n "$old" ] && [ "$old" != "$1" ] && touch -c "$entry/$old"
  return 0
}

# One pass, then what it leaves behind in any case.
fill() {
  fill_pass
  rc=$?
  rm -f "$entry/.listing" "$entry/.listing.after" "$entry/.reserved" "$entry/.filling"
  return "$rc"
}

fill_pass() {
  l=$entry/.listing
  listing "$l" || { log "cannot list s3://$BUCKET/$PREFIX"; return 1; }
  [ -s "$l" ] || { log "no objects under s3://$BUCKET/$PREFIX"; return 1; }
  v=$(version_of "$l")
  cur=$(readlink "$entry/current" 2>/dev/null)
  [ "$cur" = "$v" ] && [ -f "$entry/$v/.manifest" ] && return 0
  # The objects changed in place: pods stop linking the old version at once (they download until the new one is in).
  if [ -n "$cur" ]; then
    rm -f "$entry/current"
    touch -c "$entry/$cur"
    log "s3://$BUCKET/$PREFIX changed: $cur unpublished"
  fi
  if [ -f "$entry/$v/.manifest" ]; then
    lock; publish "$v"; unlock
    log "published $v again"
    return 0
  fi
  # A fill killed earlier left its staging directory: it is this filler's, and counts against the bound.
  rm -rf "$entry"/.staging-*
  need=$(bytes_of "$l")
  touch "$entry/.filling"
  lock
  make_room "$need" || { unlock; return 1; }
  unlock
  stage=$entry/.staging-$v
  rm -rf "$stage"
  mkdir -p "$stage"
  # The heartbeat pods wait on; it stops when .filling goes (touch -c never recreates it).
  (while [ -f "$entry/.filling" ]; do touch -c "$entry/.filling"; sleep 20; done) > /dev/null 2>&1 &
  beat_pid=$!
  # In the background so that SIGTERM is handled at once; bounded, so a hung transfer cannot hold its reservation.
  timeout "$FILL_TIMEOUT_SECONDS" aws s3 sync --only-show-errors --no-progress "s3://$BUCKET/$PREFIX" "$stage" &
  sync_pid=$!
  wait "$sync_pid"
  rc=$?
  sync_pid=
  kill "$beat_pid" 2>/dev/null
  beat_pid=
  ok=1
  if [ "$rc" -ne 0 ]; then
    log "download of $v failed (exit $rc$([ "$rc" = 124 ] && echo ", timed out after $FILL_TIMEOUT_SECONDS s"))"
  elif ! verify "$l" "$stage"; then
    :
  elif ! listing "$l.after" || [ "$(version_of "$l.after")" != "$v" ]; then
    log "objects under s3://$BUCKET/$PREFIX changed during the download; $v discarded"
  else
    ok=0
  fi
  if [ "$ok" -ne 0 ]; then
    rm -rf "$stage"
    return 1
  fi
  cp "$l" "$stage/.manifest"
  # Published under the lock, so no eviction can take the version between the rename and the link.
  lock
  mv "$stage" "$entry/$v"
  publish "$v"
  unlock
  log "cached $v ($need bytes)"
  return 0
}

# The key this endpoint's filler held before (a canary's stable, or the version a rollback returns to) keeps its lease.
hold() {
  touch "$entry/.lease"
  [ -n "$previous" ] && [ -d "$home/$previous" ] && touch "$home/$previous/.lease"
  return 0
}

mkdir -p "$entry"
previous=$(cat "$home/.active" 2>/dev/null || true)
[ "$previous" = "$key" ] && previous=$(cat "$home/.previous" 2>/dev/null || true)
[ -n "$previous" ] && echo "$previous" > "$home/.previous"
echo "$key" > "$home/.active"
${CRT_CONFIG}while :; do
  hold
  fill
  rc=$?
  [ "\${ONCE:-}" = 1 ] && exit "$rc"
  i=0
  while [ "$i" -lt "$REFRESH_SECONDS" ]; do
    hold
    sleep 60 &
    wait $!
    i=$((i + 60))
  done
done
`;

/**
 * The server pod's init container: link the node's cached version, wait for a fill in progress, or download
 * the pod's own copy (the path without a cache). Environment: ENTRY (the key's directory as mounted),
 * MODEL_DIR, BUCKET, PREFIX, TARGET_GBPS, WAIT_SECONDS, GRACE_SECONDS; `aws` runs only on a miss.
 */
export const LINK_OR_DOWNLOAD_SCRIPT = `set -u
tab=$(printf '\\t')
e=$ENTRY
start=$(date +%s)
# Every object of the version's manifest is in MODEL_DIR, through the links, at its listed size.
complete() {
  while IFS=$tab read -r k size etag; do
    rel=\${k#"$PREFIX"}
    case $rel in '' | */) continue ;; esac
    [ "$(stat -L -c %s "$MODEL_DIR/$rel" 2>/dev/null)" = "$size" ] || { echo "weights: $rel is not in the cached copy at its listed size"; return 1; }
  done < "$1"
}
while :; do
  v=$(readlink "$e/current" 2>/dev/null || true)
  if [ -n "$v" ] && [ -f "$e/$v/.manifest" ]; then
    rm -rf "$MODEL_DIR"
    mkdir -p "$MODEL_DIR"
    # Symbolic links to each file (cp -s), dotfiles included; the manifest itself is not linked.
    if (cd "$e/$v" && for f in * .[!.]* ..?*; do
      [ -e "$f" ] || continue
      [ "$f" = .manifest ] && continue
      cp -rs "$e/$v/$f" "$MODEL_DIR/" || exit 1
    done) && complete "$e/$v/.manifest"; then
      echo "weights: linked version $v from this node's cache"
      exit 0
    fi
    echo "weights: linking $v failed (evicted meanwhile?)"
    break
  fi
  waited=$(($(date +%s) - start))
  if [ -f "$e/.filling" ] && [ $(($(date +%s) - $(stat -c %Y "$e/.filling" 2>/dev/null || echo 0))) -lt 60 ]; then
    if [ "$waited" -ge "$WAIT_SECONDS" ]; then echo "weights: the fill in progress is slower than planned"; break; fi
  elif [ "$waited" -ge "$GRACE_SECONDS" ]; then
    break
  fi
  sleep 2
done
echo "weights: not in this node's cache; downloading this pod's own copy"
rm -rf "$MODEL_DIR"
mkdir -p "$MODEL_DIR"
${DOWNLOAD_SCRIPT}`;

/** The environment of the init container's DOWNLOAD_SCRIPT. */
export function downloadEnv(e: ResolvedEndpoint): Array<{ name: string; value: string }> {
  return [
    { name: "MODEL_DIR", value: e.modelDir },
    { name: "BUCKET", value: e.connection.modelBucketName },
    { name: "PREFIX", value: e.model.source },
    { name: "TARGET_GBPS", value: String(downloadTargetGbps(e.pool.instanceTypes[0], e.gpusPerReplica)) },
  ];
}

/** The environment of the init container's LINK_OR_DOWNLOAD_SCRIPT. */
export function linkOrDownloadEnv(e: ResolvedEndpoint, cache: EndpointWeightCache): Array<{ name: string; value: string }> {
  return [
    ...downloadEnv(e),
    { name: "ENTRY", value: `${WEIGHT_CACHE_MOUNT}/${cache.key}` },
    { name: "WAIT_SECONDS", value: String(cache.waitSeconds) },
    { name: "GRACE_SECONDS", value: String(FILLER_GRACE_SECONDS) },
  ];
}

/** The Kubernetes objects of an endpoint's cache: the filler DaemonSet, the PersistentVolume and its claim. */
export function weightCacheManifests(e: ResolvedEndpoint, cache: EndpointWeightCache): { filler: Record<string, unknown>; volume: Record<string, unknown>; claim: Record<string, unknown> } {
  const fillerLabels = { ...e.labels, "app.kubernetes.io/component": "weight-cache-filler" };
  const selector = { "secure-inference.io/weight-cache": cache.names.filler };
  const capacity = `${cache.maxSizeGiB}Gi`;
  const poolAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: NodeLabels.POOL, operator: "In", values: [e.pool.name] }] }] } };
  const filler = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: cache.names.filler, namespace: WEIGHT_CACHE_NAMESPACE, labels: fillerLabels, annotations: { "secure-inference.io/endpoint": `${e.namespace}/${e.name}` } },
    spec: {
      selector: { matchLabels: selector },
      // A new model version is fetched on every node at once, before Argo scales its canary up.
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%" } },
      template: {
        metadata: { labels: { ...fillerLabels, ...selector } },
        spec: {
          serviceAccountName: cache.names.filler,
          automountServiceAccountToken: false,
          nodeSelector: { [NodeLabels.POOL]: e.pool.name },
          tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
          // Root owns the host directory (the kubelet creates it); no capability is kept, not even DAC_OVERRIDE.
          securityContext: { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } },
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: "filler",
              image: MODEL_FETCH_IMAGE,
              command: ["/bin/sh", "-c", FILLER_SCRIPT],
              env: [
                { name: "AWS_REGION", value: e.connection.region },
                { name: "HOME", value: "/tmp" },
                { name: "CACHE_ROOT", value: "/cache" },
                { name: "ENTRY", value: `${e.namespace}/${e.name}/${cache.key}` },
                { name: "BUCKET", value: e.connection.modelBucketName },
                { name: "PREFIX", value: e.model.source },
                { name: "MAX_BYTES", value: String(cache.maxSizeGiB * 1024 ** 3) },
                { name: "TARGET_GBPS", value: String(downloadTargetGbps(e.pool.instanceTypes[0], e.gpusPerReplica)) },
                { name: "FILL_TIMEOUT_SECONDS", value: String(cache.fillTimeoutSeconds) },
                { name: "REFRESH_SECONDS", value: String(REFRESH_SECONDS) },
                { name: "STALE_SECONDS", value: String(LEASE_STALE_SECONDS) },
              ],
              securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              // Small beside the server on its node; the CRT client's buffers are what the limit is for.
              resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
              // Ready once this node holds a version: `kubectl -n weight-cache get ds` shows the nodes cached.
              readinessProbe: { exec: { command: ["/bin/sh", "-c", `test -L "/cache/${e.namespace}/${e.name}/${cache.key}/current"`] }, periodSeconds: 10 },
              volumeMounts: [
                { name: "cache", mountPath: "/cache" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "cache", hostPath: { path: WEIGHT_CACHE_HOST_PATH, type: "DirectoryOrCreate" } },
            { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
          ],
        },
      },
    },
  };
  // hostPath with DirectoryOrCreate: a pod scheduled before the node's filler starts still mounts (and
  // downloads its own copy after the grace period) instead of failing on a missing local path.
  const volume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: cache.names.volume, labels: e.labels },
    spec: {
      capacity: { storage: capacity },
      accessModes: ["ReadOnlyMany"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      volumeMode: "Filesystem",
      hostPath: { path: cache.hostDirectory, type: "DirectoryOrCreate" },
      nodeAffinity: poolAffinity,
      // Pre-bound: no other claim can take it.
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: e.namespace, name: cache.names.claim },
    },
  };
  const claim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: cache.names.claim, namespace: e.namespace, labels: e.labels },
    spec: {
      accessModes: ["ReadOnlyMany"],
      storageClassName: "",
      volumeMode: "Filesystem",
      volumeName: cache.names.volume,
      resources: { requests: { storage: capacity } },
    },
  };
  return { filler, volume, claim };
}

/** The filler's identity (read-only on the model's prefix, like the endpoint's) and the cache's objects. */
export function endpointWeightCacheResources(scope: Construct, e: ResolvedEndpoint, cache: EndpointWeightCache, provider: KubernetesProvider): { role: PodIdentityRole; manifests: Manifest[] } {
  const c = e.connection;
  const sa = new ServiceAccountV1(scope, "weight-cache-service-account", {
    provider,
    metadata: { name: cache.names.filler, namespace: WEIGHT_CACHE_NAMESPACE, labels: e.labels },
    automountServiceAccountToken: false,
  });
  const role = new PodIdentityRole(scope, "weight-cache-read", {
    clusterName: c.clusterName,
    clusterArn: c.clusterArn,
    namespace: WEIGHT_CACHE_NAMESPACE,
    serviceAccount: cache.names.filler,
    purpose: `wc-${e.name}`.slice(0, 20),
    description: `Weight-cache filler of endpoint ${e.namespace}/${e.name} of ${c.clusterName}: reads model weights under ${e.model.source}`,
    policies: { "model-read": modelReadPolicy(c.modelBucketArn, c.keys.storageKeyArn, e.model.source, `s3.${c.region}.${awsContext(scope).dnsSuffix}`) },
    tags: { "secure-inference/cluster": c.clusterName, "secure-inference/endpoint": `${e.namespace}/${e.name}`, ...e.placement.residencyTags },
  });
  const m = weightCacheManifests(e, cache);
  const volume = new Manifest(scope, "weight-cache-volume", { provider, manifest: m.volume });
  const claim = new Manifest(scope, "weight-cache-claim", { provider, manifest: m.claim, dependsOn: [volume] });
  // After the Pod Identity association: a filler pod created before it would never get credentials.
  const filler = new Manifest(scope, "weight-cache-filler", { provider, manifest: m.filler, dependsOn: [sa, ...(role.association ? [role.association] : [])] });
  return { role, manifests: [volume, claim, filler] };
}

/*
 * Security contexts of the restricted Pod Security Standard, shared by every pod the library
 * creates: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp.
 */

/** Options of {@link restrictedContainerSecurity}. */
export interface ContainerSecurityOptions {
  /**
   * Write `privileged: false`; without it the field is left out, which Kubernetes reads as false.
   * @default true
   */
  readonly declarePrivileged?: boolean;
}

/** A container's security context; the root filesystem is read-only unless the server needs it writable. */
export function restrictedContainerSecurity(readOnlyRootFilesystem = true, options: ContainerSecurityOptions = {}) {
  return {
    allowPrivilegeEscalation: false,
    ...(options.declarePrivileged === false ? {} : { privileged: false }),
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
  };
}

/** A pod's security context for the kubernetes provider (ids as strings), running as `uid`. */
export function restrictedPodSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: String(uid),
    runAsGroup: String(uid),
    fsGroup: String(uid),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * A pod's security context inside a Kubernetes manifest (an Argo Rollout, a Job of an
 * AnalysisTemplate): ids as numbers, running as `uid`, with `uid` as fsGroup unless `fsGroup` is false.
 */
export function restrictedManifestPodSecurity(uid: number, options: { readonly fsGroup?: boolean } = {}) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    ...(options.fsGroup === false ? {} : { fsGroup: uid }),
    seccompProfile: { type: "RuntimeDefault" as const },
  };
}

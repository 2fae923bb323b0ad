/*
 * Security contexts of the restricted Pod Security Standard, shared by every pod the library
 * creates: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp.
 */

/** A container's security context; the root filesystem is read-only unless the server needs it writable. */
export function restrictedContainerSecurity(readOnlyRootFilesystem = true) {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
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

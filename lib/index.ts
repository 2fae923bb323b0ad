// Public API of the library. Internals (lib/**/private) are not exported.
export * from "./errors";
export * from "./security/policy-document";
export * from "./security/encryption-key";
export * from "./planning/gpu-catalog";
export * from "./cluster/node-labels";
export * from "./cluster/cluster-network";
export * from "./cluster/gpu-node-pool";
export * from "./cluster/secure-inference-cluster";

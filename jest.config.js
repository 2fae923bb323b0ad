/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // examples/ holds the tests users copy (e.g. examples/hipaa-chatbot/compliance.test.ts).
  roots: ["<rootDir>/test", "<rootDir>/examples"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // cdktf's per-token stack traces (diagnostics only) cost more than anything else under jest's source maps.
  moduleNameMapper: { "^\\./(tokens/private/|private/)?stack-trace$": "<rootDir>/test/harness/no-stack-traces.js" },
  // Terraform runs (init/validate/plan) take tens of seconds on 2 cores.
  testTimeout: 240000,
  maxWorkers: 2,
  verbose: true,
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // Terraform runs (init/validate/plan) take tens of seconds on 2 cores.
  testTimeout: 240000,
  maxWorkers: 2,
  verbose: true,
};

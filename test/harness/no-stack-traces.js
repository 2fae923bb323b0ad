// Jest stand-in for cdktf/lib/tokens/private/stack-trace (jest.config.js moduleNameMapper). cdktf records
// a full stack trace for every token it creates (lazy.js, intrinsic.js, complex-computed-list.js), used only
// in the message of a token that fails to resolve. Under jest each trace is mapped through source maps,
// which made it the largest single cost of the suite; tests that need the trace can unmap this module.
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.captureStackTrace = function captureStackTrace() {
  return ["(stack traces of cdktf tokens are not recorded under jest: test/harness/no-stack-traces.js)"];
};

/* Settings every server shares: the API port, the non-root user and its writable HOME, and option checks. */
import { isLiteral, show } from "../../private/validation";
import { QUEUE_SELECTOR_PLACEHOLDER } from "./server-types";

/** Port of every server's HTTP API: the endpoint's Service, probes and scrape config target it. */
export const API_PORT = 8000;
/**
 * Non-root uid of the servers this library knows. 1000 is triton-server in Triton's images; vLLM's
 * and TGI's images have no user for it, so USER and HOME are set (Python's getpass.getuser() reads
 * USER before /etc/passwd).
 */
export const UID = 1000;
const USER_NAME = "inference";
/** Writable HOME of the server user, where the caches go. */
export const HOME = "/home/inference";
/** Directories mounted writable for the servers this library knows. */
export const WRITABLE_PATHS = [HOME, "/tmp"];
/** vLLM's time-to-first-token histogram (also exported through Triton's vllm backend). */
export const VLLM_TTFT = "vllm:time_to_first_token_seconds";

/** Caches under the writable HOME; weights are local, so the Hub is never called. */
export function baseEnv(): Record<string, string> {
  return {
    HOME,
    USER: USER_NAME,
    XDG_CACHE_HOME: `${HOME}/.cache`,
    HF_HOME: `${HOME}/.cache/huggingface`,
    HF_HUB_OFFLINE: "1",
    // Compiled kernels of the Triton language (not Triton server), used by vLLM and TGI.
    TRITON_CACHE_DIR: `${HOME}/.triton/cache`,
  };
}

/** The base environment plus vLLM's caches, and its usage reporting off. */
export function vllmEnv(): Record<string, string> {
  return {
    ...baseEnv(),
    VLLM_CACHE_ROOT: `${HOME}/.cache/vllm`,
    NUMBA_CACHE_DIR: `${HOME}/.cache/numba`,
    // vLLM reports usage to its maintainers unless told not to.
    VLLM_NO_USAGE_STATS: "1",
    DO_NOT_TRACK: "1",
  };
}

/** Mean of a per-replica gauge over the replicas that export it. */
export function meanGaugeQuery(metric: string): string {
  const series = `${metric}{${QUEUE_SELECTOR_PLACEHOLDER}}`;
  return `sum(${series}) / count(${series})`;
}

/** True for a positive whole number. */
export function isCount(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/** A problem when a literal number is not a positive integer. */
export function countProblems(prop: string, value: number | undefined, what: string, example: number): string[] {
  if (value === undefined || !isLiteral(value) || isCount(value)) return [];
  return [`server.${prop}: ${show(value)} must be a positive whole number of ${what}, e.g. ${example}`];
}

/** Problems for extra arguments that set a flag the construct owns; `owned` maps each flag to what to use instead. */
export function ownedFlagProblems(extraArgs: readonly string[] | undefined, owned: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const arg of extraArgs ?? []) {
    const flag = arg.split("=")[0];
    const instead = owned[flag];
    if (instead !== undefined) problems.push(`server.extraArgs: ${show(arg)} sets ${flag}, which the construct sets; ${instead} instead`);
  }
  return problems;
}

/** vLLM's `--dtype` for each model dtype (also written to Triton's vllm backend). */
export const VLLM_DTYPES: Record<string, string> = {
  auto: "auto",
  bfloat16: "bfloat16",
  bf16: "bfloat16",
  float16: "float16",
  fp16: "float16",
  half: "float16",
  float32: "float32",
  fp32: "float32",
  float: "float32",
  // Quantized weights: vLLM picks the activation dtype from the checkpoint.
  fp8: "auto",
  int8: "auto",
  int4: "auto",
};

/** Own keys only, so "constructor" and friends are not taken for dtypes. */
export function has(table: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** A problem when the model's dtype has no vLLM `--dtype`. */
export function vllmDtypeProblems(dtype: string | undefined): string[] {
  if (dtype === undefined || has(VLLM_DTYPES, dtype)) return [];
  return [`server: the model's dtype ${show(dtype)} has no vLLM --dtype equivalent; use one of ${Object.keys(VLLM_DTYPES).map(show).join(", ")}`];
}

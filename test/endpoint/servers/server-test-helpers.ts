import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { ServerContext } from "../../../lib/endpoint/servers/server-types";

/** The context the server tests render with: a model on two GPUs. */
export const ctx: ServerContext = { modelName: "chat", modelDir: "/models/llama-3.1-8b-instruct", gpusPerReplica: 2 };
/** Label matchers the queue-depth queries are filled with. */
export const SELECTOR = 'namespace="models",app="chat"';

/** The value following `flag` in the arguments, or undefined. */
export function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

/** The problems of a server's options for `context`. */
export function problems(server: InferenceServer, context: ServerContext = ctx): string[] {
  return server.validate(context);
}

/** The single problem whose text starts with `prefix`. */
export function problem(server: InferenceServer, prefix: string, context: ServerContext = ctx): string {
  const found = problems(server, context).filter((p) => p.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0];
}

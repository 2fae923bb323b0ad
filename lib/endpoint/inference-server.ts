/*
 * The model server container of a CanaryModelEndpoint: which image, which flags, which probes,
 * which metrics. Pure data: `render` returns a plan that the endpoint turns into a pod spec.
 * Each server has its own file under servers/, with how it batches and where its pinned image,
 * flags and defaults were checked: vllm.ts, triton.ts, tgi.ts and custom.ts.
 */
import { ValidationError } from "../errors";
import { CustomDefinition, CustomServerOptions } from "./servers/custom";
import type { InferenceServerKind, ServerContainer, ServerContext, ServerDefinition } from "./servers/server-types";
import { TgiDefinition, TgiServerOptions } from "./servers/tgi";
import { TritonDefinition, TritonServerOptions } from "./servers/triton";
import { VllmDefinition, VllmServerOptions } from "./servers/vllm";


/**
 * The model server of a CanaryModelEndpoint. Create one with `InferenceServer.vllm()`,
 * `.triton()`, `.tgi()` or `.custom()`.
 */
export abstract class InferenceServer {
  /** vLLM's OpenAI-compatible server. */
  static vllm(options: VllmServerOptions = {}): InferenceServer {
    return new DefinedServer(new VllmDefinition(options));
  }

  /**
   * NVIDIA Triton Inference Server, by default with its vLLM backend. It serves KServe v2 (no
   * OpenAI /v1), and its vLLM backend exports no queue metric, so that endpoint runs a fixed number
   * of replicas (autoscaling minReplicas = maxReplicas).
   */
  static triton(options: TritonServerOptions = {}): InferenceServer {
    return new DefinedServer(new TritonDefinition(options));
  }

  /** Hugging Face Text Generation Inference. */
  static tgi(options: TgiServerOptions = {}): InferenceServer {
    return new DefinedServer(new TgiDefinition(options));
  }

  /** Any other server image, described by its options. */
  static custom(options: CustomServerOptions): InferenceServer {
    return new DefinedServer(new CustomDefinition(options));
  }

  /** Which server this is. */
  abstract readonly kind: InferenceServerKind;

  /** Problems with the options, each "prop: message with value and fix" (prop prefixed "server."), [] when valid. */
  abstract validate(ctx: ServerContext): string[];

  /** The container for this model; call validate first (this throws a ValidationError when it finds problems). */
  render(ctx: ServerContext): ServerContainer {
    const problems = this.validate(ctx);
    if (problems.length > 0) throw new ValidationError(ctx.modelName, "InferenceServer", problems);
    return this.build(ctx);
  }

  /** The container, for valid options. */
  protected abstract build(ctx: ServerContext): ServerContainer;
}

/** An InferenceServer that runs one server definition. */
class DefinedServer extends InferenceServer {
  readonly kind: InferenceServerKind;

  constructor(private readonly definition: ServerDefinition) {
    super();
    this.kind = definition.kind;
  }

  validate(ctx: ServerContext): string[] {
    return this.definition.validate(ctx);
  }

  protected build(ctx: ServerContext): ServerContainer {
    return this.definition.build(ctx);
  }
}

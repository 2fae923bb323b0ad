import { Token } from "cdktf";
import { InferenceServer } from "../../lib/endpoint/inference-server";
import { ctx, problems } from "./servers/server-test-helpers";

describe("image pinning", () => {
  const image = (ref: string) => problems(InferenceServer.vllm({ image: ref }));

  it("refuses an image without a tag or digest, saying to pin a version", () => {
    expect(image("vllm/vllm-openai")).toEqual([
      'server.image: "vllm/vllm-openai" has no tag or digest, so each node may pull a different image; pin a version, e.g. "vllm/vllm-openai:v0.11.0"',
    ]);
    // A registry port is not a tag.
    expect(image("registry.local:5000/vllm-openai")[0]).toMatch(/has no tag or digest.*pin a version/);
  });

  it("refuses the moving tag latest", () => {
    expect(image("vllm/vllm-openai:latest")).toEqual(['server.image: "vllm/vllm-openai:latest" uses the moving tag "latest"; pin a version, e.g. "vllm/vllm-openai:v0.11.0"']);
  });

  it("accepts a sha256 digest and a version tag, and refuses a malformed digest", () => {
    expect(image(`vllm/vllm-openai@sha256:${"a".repeat(64)}`)).toEqual([]);
    expect(image(`registry.local:5000/vllm-openai:v0.11.0@sha256:${"0".repeat(64)}`)).toEqual([]);
    expect(image("registry.local:5000/vllm-openai:v0.11.0")).toEqual([]);
    expect(image("vllm/vllm-openai@sha256:abc")[0]).toMatch(/malformed digest "sha256:abc"; a digest is "sha256:" and 64 lower-case hex digits/);
  });

  it("leaves an image known only at apply time (a token) to apply time", () => {
    expect(image(`${Token.asString({ resolve: () => "123.dkr.ecr.us-east-1.amazonaws.com/vllm" })}:v0.11.0`)).toEqual([]);
    expect(image(Token.asString({ resolve: () => "123.dkr.ecr.us-east-1.amazonaws.com/vllm:v1" }))).toEqual([]);
  });

  it("refuses an empty image", () => {
    expect(image("")[0]).toMatch(/^server\.image: "" is not an image reference; give one pinned by tag or digest/);
  });
});

describe("every server", () => {
  it("runs as a non-root uid", () => {
    for (const server of [InferenceServer.vllm(), InferenceServer.triton(), InferenceServer.triton({ backend: "python" }), InferenceServer.tgi()]) {
      const c = server.render(ctx);
      expect({ kind: c.kind, nonRoot: c.runAsUser > 0 }).toEqual({ kind: server.kind, nonRoot: true });
    }
  });

  it("is valid with defaults", () => {
    for (const server of [InferenceServer.vllm(), InferenceServer.triton(), InferenceServer.tgi()]) {
      expect(problems(server)).toEqual([]);
    }
  });
});

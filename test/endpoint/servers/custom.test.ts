import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { QUEUE_SELECTOR_PLACEHOLDER } from "../../../lib/endpoint/servers/server-types";
import { ctx, problems } from "./server-test-helpers";

describe("custom server", () => {
  const base = { image: "registry.example.com/team/server:1.2.3", port: 9000, healthPath: "/healthz" };

  it("runs the image as described, with non-root, read-only and metrics defaults", () => {
    const c = InferenceServer.custom({ ...base, command: ["/bin/server"], args: ["--fast"], env: { A: "1" }, queueDepthMetric: "server_queue_size" }).render(ctx);
    expect(c).toEqual({
      kind: "custom",
      image: "registry.example.com/team/server:1.2.3",
      command: ["/bin/server"],
      args: ["--fast"],
      env: { A: "1" },
      port: 9000,
      api: "openai",
      metricsPort: 9000,
      metricsPath: "/metrics",
      livenessPath: "/healthz",
      readinessPath: "/healthz",
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      writablePaths: ["/tmp"],
      sharedMemory: false,
      files: {},
      queueDepthQuery: `sum(server_queue_size{${QUEUE_SELECTOR_PLACEHOLDER}}) / count(server_queue_size{${QUEUE_SELECTOR_PLACEHOLDER}})`,
      batching: { batcher: "custom" },
    });
  });

  it("uses the given probes, metrics port, uid and volumes, and has no queue query without a metric", () => {
    const c = InferenceServer.custom({ ...base, readinessPath: "/ready", metricsPort: 9100, metricsPath: "/stats", runAsUser: 2000, writablePaths: ["/cache"], sharedMemory: true }).render(ctx);
    expect(c).toMatchObject({ readinessPath: "/ready", metricsPort: 9100, metricsPath: "/stats", runAsUser: 2000, writablePaths: ["/cache"], sharedMemory: true, queueDepthQuery: "" });
  });

  it("refuses root, bad ports, relative paths, a malformed metric and an unpinned image, all at once", () => {
    const found = problems(
      InferenceServer.custom({ image: "server:latest", port: 70000, healthPath: "healthz", runAsUser: 0, queueDepthMetric: "queue-size", writablePaths: ["tmp"] }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^server\.image: "server:latest" uses the moving tag "latest"; pin a version/),
      expect.stringMatching(/^server\.port: 70000 is not a TCP port; use a whole number from 1 to 65535/),
      expect.stringMatching(/^server\.healthPath: "healthz" must be an HTTP path starting with "\/", e\.g\. "\/healthz"/),
      expect.stringMatching(/^server\.queueDepthMetric: "queue-size" is not a Prometheus metric name/),
      expect.stringMatching(/^server\.runAsUser: 0 is not a non-root uid; restricted Pod Security refuses root/),
      expect.stringMatching(/^server\.writablePaths: \["tmp"\] must be absolute directories/),
    ]);
  });
});

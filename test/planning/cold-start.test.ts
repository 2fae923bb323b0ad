import { coldStart, downloadTargetGbps, IMAGE_BENCHMARK, imageSeconds, SERVER_WARMUP, serverWarmupSeconds, streamerConcurrency, S3_MB_PER_SECOND_PER_CONNECTION } from "../../lib/planning/cold-start";

describe("cold start", () => {
  it("sizes the streamer's S3 connections to fill the replica's network share, within 8 and 64", () => {
    // g6.xlarge: 10 Gbit/s = 1250 MB/s / 85 MB/s -> 15 connections.
    expect(streamerConcurrency("g6.xlarge", 1)).toBe(Math.ceil(1250 / S3_MB_PER_SECOND_PER_CONNECTION));
    // Half a p5 (4 of 8 GPUs): 50 Gbit/s would need 74, capped at 64.
    expect(streamerConcurrency("p5.48xlarge", 4)).toBe(64);
  });

  it("overlaps streamed weights with the copy to the GPU, and adds node and image only for a new node", () => {
    const c = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 14.9, serverKind: "vllm", weights: "stream", warmupSeconds: 180 });
    expect(c.warmNodeSeconds).toBe(Math.max(c.weightsSeconds, c.loadSeconds - 180) + 180);
    expect(c.newNodeSeconds).toBe(c.nodeSeconds + c.imageSeconds + c.warmNodeSeconds);
    const d = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 14.9, serverKind: "tgi", weights: "download", warmupSeconds: 180 });
    // A download runs before the load: the two add up; the CLI's CRT client targets the replica's 10 Gbit/s share.
    expect(d.warmNodeSeconds).toBe(d.weightsSeconds + d.loadSeconds);
    expect(downloadTargetGbps("g6.xlarge", 1)).toBe(10);
    expect(d.assumptions.weightsMBPerSecond).toBe(1250);
    expect(d.s3Connections).toBe(Math.ceil(1250 / S3_MB_PER_SECOND_PER_CONNECTION));
    // Half a p5 (4 of 8 GPUs): a 50 Gbit/s target.
    expect(downloadTargetGbps("p5.48xlarge", 4)).toBe(50);
  });

  it("plans a weight-cache hit at the data volume's read rate, overlapped with the copy to the GPU; none for streamed weights", () => {
    const base = { instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 14.9, serverKind: "tgi", weights: "download" as const, warmupSeconds: 50 };
    const slow = coldStart({ ...base, nodeCache: { readMiBps: 500 } });
    // 14.9 GiB at 500 MiB/s = 31 s, slower than the 1 s copy to an L4 at 16 GB/s.
    expect(slow.cacheHitSeconds).toBe(Math.ceil((14.9 * 1024) / 500) + 50);
    expect(slow.cacheReadMiBps).toBe(500);
    // Slower than the download it replaces (13 s at 1,250 MB/s + 1 s copy): the endpoint warns (resolve-endpoint.ts).
    expect(slow.cacheHitSeconds!).toBeGreaterThan(slow.warmNodeSeconds);
    const fast = coldStart({ ...base, nodeCache: { readMiBps: 2000 } });
    expect(fast.cacheHitSeconds).toBe(Math.ceil((14.9 * 1024) / 2000) + 50);
    expect(fast.cacheHitSeconds!).toBeLessThan(fast.warmNodeSeconds);
    expect(coldStart(base).cacheHitSeconds).toBeUndefined();
    expect(coldStart({ ...base, weights: "stream", serverKind: "vllm", nodeCache: { readMiBps: 2000 } }).cacheHitSeconds).toBeUndefined();
  });

  it("takes the endpoint's per-GiB overrides when given", () => {
    const c = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 10, serverKind: "vllm", weights: "download", warmupSeconds: 0, downloadSecondsPerGiB: 8, loadSecondsPerGiB: 10 });
    expect([c.weightsSeconds, c.loadSeconds, c.warmNodeSeconds]).toEqual([80, 100, 180]);
  });

  it("models the server's warm-up part by part: vLLM compiles, TGI does not, and unknown kinds take the most expensive", () => {
    expect(SERVER_WARMUP.vllm.graphCaptureSeconds).toBe(20); // vLLM's own "usually takes 5~20 seconds", upper end
    expect(serverWarmupSeconds("vllm")).toBe(20 + 45 + 20 + 10);
    expect(SERVER_WARMUP.tgi.compileSeconds).toBe(0);
    expect(serverWarmupSeconds("tgi")).toBeLessThan(serverWarmupSeconds("vllm"));
    expect(serverWarmupSeconds("something-else")).toBe(serverWarmupSeconds("custom"));
    const c = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 14.9, serverKind: "tgi", weights: "download" });
    expect(c.assumptions.warmupSeconds).toBe(serverWarmupSeconds("tgi"));
  });

  it("scales an image pull from the public 9.5 GB / 334 s measurement, and reads a snapshot in 5 s with Fast Snapshot Restore or at the initialization rate", () => {
    // 12 GiB = 12.88 GB compressed at 9.5 GB per 334 s.
    expect(imageSeconds(12, { kind: "pull" })).toBe(Math.ceil((12 * 1.073741824 * 334) / 9.5));
    expect(imageSeconds(12, { kind: "snapshot", initialization: "fast-snapshot-restore" })).toBe(IMAGE_BENCHMARK.snapshotSeconds);
    // Lazily initialized: the unpacked image (20.4 / 9.5 of the compressed size) at 300 MiB/s.
    const lazy = imageSeconds(12, { kind: "snapshot", initialization: 300 });
    expect(lazy).toBe(Math.ceil((((12 * 1.073741824 * 20.4) / 9.5) * 1e9) / 1048576 / 300));
    expect(lazy).toBeLessThan(imageSeconds(12, { kind: "pull" }));
    expect(imageSeconds(12, { kind: "snapshot", initialization: 100 })).toBeGreaterThan(lazy);
    const pulled = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 14.9, serverKind: "vllm", weights: "stream" });
    const cached = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 14.9, serverKind: "vllm", weights: "stream", image: { kind: "snapshot", initialization: "fast-snapshot-restore" } });
    expect(pulled.image).toBe("pulled");
    expect(cached.image).toBe("snapshot (Fast Snapshot Restore)");
    expect(pulled.newNodeSeconds - cached.newNodeSeconds).toBe(pulled.imageSeconds - 5);
    // A warm node already holds the image: the cache changes only a new node's start.
    expect(cached.warmNodeSeconds).toBe(pulled.warmNodeSeconds);
  });
});

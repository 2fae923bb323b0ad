import { coldStart, streamerConcurrency, S3_MB_PER_SECOND_PER_CONNECTION } from "../../lib/planning/cold-start";

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
    // A download runs before the load: the two add up, and the CLI's 10 connections bound it.
    expect(d.warmNodeSeconds).toBe(d.weightsSeconds + d.loadSeconds);
    expect(d.assumptions.weightsMBPerSecond).toBe(10 * S3_MB_PER_SECOND_PER_CONNECTION);
  });

  it("takes the endpoint's per-GiB overrides when given", () => {
    const c = coldStart({ instanceType: "g6.xlarge", gpusPerReplica: 1, weightsGiB: 10, serverKind: "vllm", weights: "download", warmupSeconds: 0, downloadSecondsPerGiB: 8, loadSecondsPerGiB: 10 });
    expect([c.weightsSeconds, c.loadSeconds, c.warmNodeSeconds]).toEqual([80, 100, 180]);
  });
});

import {
  bytesPerParameter,
  describeFit,
  estimateKvBytesPerToken,
  explainFit,
  kvBytesPerToken,
  ModelFitInput,
  modelFit,
  OVERHEAD_PER_GPU_GIB,
  usableGpuMemoryGiB,
} from "../../lib/planning/capacity";

const GIB = 2 ** 30;
const LLAMA_3_1_8B = { layers: 32, kvHeads: 8, headDim: 128 };
const LLAMA_3_1_70B = { layers: 80, kvHeads: 8, headDim: 128 };

/** One L4 (g6.xlarge) serving an 8k context at vLLM's default utilization. */
const ON_ONE_L4: Omit<ModelFitInput, "parametersBillions"> = {
  dtype: "bfloat16",
  maxModelLen: 8192,
  gpuMemoryUtilization: 0.9,
  gpusPerReplica: 1,
  gpuModel: "L4",
  gpuMemoryGiB: 24,
};

describe("bytes per parameter", () => {
  it("follows the dtype: float32 4, bfloat16/float16 2, fp8/int8 1, int4 0.5", () => {
    expect(bytesPerParameter("float32")).toBe(4);
    expect(bytesPerParameter("bfloat16")).toBe(2);
    expect(bytesPerParameter("float16")).toBe(2);
    expect(bytesPerParameter("fp8")).toBe(1);
    expect(bytesPerParameter("int8")).toBe(1);
    expect(bytesPerParameter("int4")).toBe(0.5);
  });

  it("lets quantization win over dtype (AWQ/GPTQ/bitsandbytes 4-bit 0.5, fp8 1)", () => {
    expect(bytesPerParameter("bfloat16", "awq")).toBe(0.5);
    expect(bytesPerParameter("float16", "gptq")).toBe(0.5);
    expect(bytesPerParameter("float32", "bitsandbytes-4bit")).toBe(0.5);
    expect(bytesPerParameter("bfloat16", "fp8")).toBe(1);
    const fit = modelFit({ ...ON_ONE_L4, parametersBillions: 8, dtype: "bfloat16", quantization: "awq" });
    expect(fit.bytesPerParameter).toBe(0.5);
    expect(fit.weightsGiB).toBeCloseTo((8e9 * 0.5) / GIB, 6); // 3.73 GiB, not 14.9
  });
});

describe("usable GPU memory", () => {
  it("takes what the driver reports for GDDR GPUs (L4 and A10G 22888 MiB, L40S 45776 MiB, T4 15360 MiB)", () => {
    expect(usableGpuMemoryGiB("L4", 24)).toBeCloseTo(22888 / 1024, 10);
    expect(usableGpuMemoryGiB("A10G", 24)).toBeCloseTo(22888 / 1024, 10);
    expect(usableGpuMemoryGiB("L40S", 48)).toBeCloseTo(45776 / 1024, 10);
    expect(usableGpuMemoryGiB("T4", 16)).toBeCloseTo(15, 10);
  });

  it("takes the listed size for HBM GPUs", () => {
    expect(usableGpuMemoryGiB("H100", 80)).toBe(80);
    expect(usableGpuMemoryGiB("H200", 141)).toBe(141);
    expect(usableGpuMemoryGiB("A100", 40)).toBe(40);
  });
});

describe("KV cache per token", () => {
  it("is exact from the architecture: Llama 3.1 8B is 2 x 32 x 8 x 128 x 2 = 131072 bytes", () => {
    expect(kvBytesPerToken(LLAMA_3_1_8B)).toBe(131072);
    expect(kvBytesPerToken(LLAMA_3_1_70B)).toBe(327680);
    expect(kvBytesPerToken(LLAMA_3_1_8B, 1)).toBe(65536); // fp8 KV cache
  });

  it("estimates conservatively against Llama 3.1 8B (128 KiB) and 70B (320 KiB)", () => {
    // 48 KiB x sqrt(8) = 135.8 KiB; 48 KiB x sqrt(70) = 401.6 KiB
    expect(estimateKvBytesPerToken(8)).toBeCloseTo(49152 * Math.sqrt(8), -1);
    expect(estimateKvBytesPerToken(8)).toBeGreaterThanOrEqual(kvBytesPerToken(LLAMA_3_1_8B));
    expect(estimateKvBytesPerToken(70)).toBeCloseTo(49152 * Math.sqrt(70), -1);
    expect(estimateKvBytesPerToken(70)).toBeGreaterThanOrEqual(kvBytesPerToken(LLAMA_3_1_70B));
  });

  it("halves the estimate for an fp8 KV cache", () => {
    expect(estimateKvBytesPerToken(8, 1)).toBeCloseTo(estimateKvBytesPerToken(8) / 2, -1);
  });

  it("uses the exact size when the architecture is given and says when it estimated", () => {
    const exact = modelFit({ ...ON_ONE_L4, parametersBillions: 8, architecture: LLAMA_3_1_8B });
    expect(exact.kvBytesPerToken).toBe(131072);
    expect(exact.kvEstimated).toBe(false);
    const estimated = modelFit({ ...ON_ONE_L4, parametersBillions: 8 });
    expect(estimated.kvEstimated).toBe(true);
    expect(estimated.kvBytesPerToken).toBe(estimateKvBytesPerToken(8));
  });
});

describe("an 8B bfloat16 model on one L4 at 0.9", () => {
  // weights 8e9 x 2 / 2^30 = 14.90 GiB; budget 22888/1024 x 0.9 = 20.12 GiB;
  // KV 20.12 - 14.90 - 2 = 3.22 GiB = 3,452,340,633 bytes / 131072 = 26,339 tokens.
  const input: ModelFitInput = { ...ON_ONE_L4, parametersBillions: 8, architecture: LLAMA_3_1_8B };
  const fit = modelFit(input);

  it("fits with room for three 8k sequences", () => {
    expect(fit.fits).toBe(true);
    expect(fit.weightsGiB).toBeCloseTo(14.901, 3);
    expect(fit.usablePerGpuGiB).toBeCloseTo(22.352, 3);
    expect(fit.budgetGiB).toBeCloseTo(20.116, 3);
    expect(fit.overheadGiB).toBe(OVERHEAD_PER_GPU_GIB);
    expect(fit.kvCacheGiB).toBeCloseTo(3.215, 3);
    expect(fit.kvCacheTokens).toBe(26339);
    expect(fit.requiredKvTokens).toBe(8192);
    expect(fit.concurrentFullSequences).toBe(3);
    // (14.901 + 2 + 8192 x 128 KiB = 1.0 GiB) / 22.352
    expect(fit.usedFraction).toBeCloseTo((14.9012 + 2 + 1) / 22.3516, 3);
    expect(explainFit(fit, input, { pool: "gpu", instanceType: "g6.xlarge", gpusPerNode: 1 })).toEqual([]);
  });

  it("summarizes in one line for reports", () => {
    expect(describeFit(fit)).toBe(
      "weights 14.9 GiB + overhead 2.0 GiB + KV 3.2 GiB (26,339 tokens) of 20.1 GiB budget; 3 full-length sequences",
    );
  });
});

describe("a 70B bfloat16 model on one 24 GiB L4", () => {
  const input: ModelFitInput = { ...ON_ONE_L4, parametersBillions: 70 };
  const fit = modelFit(input);
  const problems = explainFit(fit, input, { pool: "gpu", instanceType: "g6.48xlarge", gpusPerNode: 8 });

  it("does not fit: 130.4 GiB of weights against a 20.1 GiB budget", () => {
    expect(fit.fits).toBe(false);
    expect(fit.weightsGiB).toBeCloseTo(130.385, 3); // 70e9 x 2 / 2^30
    expect(fit.kvCacheGiB).toBeCloseTo(20.116 - 130.385 - 2, 2);
    expect(fit.kvCacheTokens).toBe(0);
    expect(fit.usedFraction).toBeGreaterThan(1);
  });

  it("explains the numbers and the fixes in one line", () => {
    expect(problems).toHaveLength(1);
    const [message] = problems;
    expect(message).toContain("a 70B-parameter bfloat16 model needs 130.4 GiB of weights + 2.0 GiB runtime overhead");
    expect(message).toContain("1 x L4 (22.4 GiB usable each) at gpuMemoryUtilization 0.9 gives 20.1 GiB");
    expect(message).toContain("more GPUs per replica");
    expect(message).toContain("a larger GPU");
    expect(message).toContain("quantization (int4/AWQ: 32.6 GiB of weights, fp8: 65.2 GiB)");
  });

  it("says the smallest power-of-two GPU count that fits: 8 x L4", () => {
    // per L4: 20.12 - 2 = 18.12 GiB net; needs 130.39 + 8192 x ~402 KiB (3.14 GiB) = 133.5 GiB:
    // 4 x 18.12 = 72.5 is short, 8 x 18.12 = 144.9 holds it.
    expect(problems[0]).toContain("needs at least 8 x L4, the pool's g6.48xlarge has 8");
    expect(modelFit({ ...input, gpusPerReplica: 4 }).fits).toBe(false);
    expect(modelFit({ ...input, gpusPerReplica: 8 }).fits).toBe(true);
  });

  it("says when the GPUs needed exceed one node", () => {
    const [message] = explainFit(fit, input, { pool: "gpu", instanceType: "g6.12xlarge", gpusPerNode: 4 });
    expect(message).toContain("needs at least 8 x L4, more than one node's 4 GPUs: use a larger GPU or quantize");
  });

  it("names the fewest larger GPUs that would hold it", () => {
    // H100: 80 x 0.9 - 2 = 70 GiB net per GPU, so 2 hold 133.5 GiB; B200: 179 x 0.9 - 2 = 159.1 holds it alone.
    expect(problems[0]).toContain("2 x A100/H100 80 GiB");
    expect(problems[0]).toContain("1 x B200 179 GiB");
  });

  it("summarizes the overflow for reports", () => {
    expect(describeFit(fit)).toBe(
      "weights 130.4 GiB + overhead 2.0 GiB exceed the 20.1 GiB budget by 112.3 GiB; no room for the KV cache",
    );
  });
});

describe("a 70B bfloat16 model on 4 x H100", () => {
  it("fits: 288 GiB budget holds 130.4 GiB of weights, 8 GiB overhead and 149.6 GiB of KV cache", () => {
    const fit = modelFit({
      ...ON_ONE_L4,
      parametersBillions: 70,
      architecture: LLAMA_3_1_70B,
      gpusPerReplica: 4,
      gpuModel: "H100",
      gpuMemoryGiB: 80,
    });
    expect(fit.fits).toBe(true);
    expect(fit.budgetGiB).toBeCloseTo(288, 6); // 4 x 80 x 0.9
    expect(fit.overheadGiB).toBe(8);
    expect(fit.kvCacheGiB).toBeCloseTo(149.615, 3);
    // 149.615 GiB / 320 KiB = 490,257 tokens = 59 sequences of 8192
    expect(fit.kvCacheTokens).toBe(Math.floor((fit.kvCacheGiB * GIB) / 327680));
    expect(fit.kvCacheTokens).toBe(490257);
    expect(fit.concurrentFullSequences).toBe(59);
  });
});

describe("a 70B AWQ model on 2 x L40S", () => {
  // Hand math: weights 70e9 x 0.5 / 2^30 = 32.60 GiB; usable 45776/1024 = 44.70 GiB per L40S;
  // budget 2 x 44.70 x 0.9 = 80.47 GiB; overhead 2 x 2 = 4 GiB; KV 80.47 - 32.60 - 4 = 43.87 GiB.
  // Estimated KV 48 KiB x sqrt(70) = 411,236 bytes/token: 43.87 GiB holds 114,543 tokens >= 8192, so it fits
  // with 13 full 8k sequences. With the exact 320 KiB/token of Llama 3.1 70B: 47,104,339,661 bytes / 327,680 = 143,751 tokens.
  const input: ModelFitInput = {
    ...ON_ONE_L4,
    parametersBillions: 70,
    quantization: "awq",
    gpusPerReplica: 2,
    gpuModel: "L40S",
    gpuMemoryGiB: 48,
  };

  it("fits with the estimated KV cache", () => {
    const fit = modelFit(input);
    expect(fit.fits).toBe(true);
    expect(fit.weightsGiB).toBeCloseTo(32.596, 3);
    expect(fit.budgetGiB).toBeCloseTo(80.466, 3);
    expect(fit.kvCacheGiB).toBeCloseTo(43.869, 3);
    expect(fit.kvCacheTokens).toBe(114543);
    expect(fit.concurrentFullSequences).toBe(13);
  });

  it("fits with more tokens once the exact architecture is given", () => {
    const fit = modelFit({ ...input, architecture: LLAMA_3_1_70B });
    expect(fit.kvCacheTokens).toBe(143751);
    expect(fit.concurrentFullSequences).toBe(17);
  });
});

describe("weights fit but the KV cache is too small", () => {
  // 8B bf16 on one L4 leaves 3.22 GiB = 26,339 tokens at 128 KiB; a 32k context needs 4.0 GiB.
  const input: ModelFitInput = { ...ON_ONE_L4, parametersBillions: 8, architecture: LLAMA_3_1_8B, maxModelLen: 32768 };
  const fit = modelFit(input);
  const [message] = explainFit(fit, input, { pool: "gpu", instanceType: "g6.12xlarge", gpusPerNode: 4 });

  it("does not fit although the weights do", () => {
    expect(fit.fits).toBe(false);
    expect(fit.kvCacheGiB).toBeGreaterThan(0);
    expect(fit.kvCacheTokens).toBe(26339);
    expect(fit.requiredKvTokens).toBe(32768);
    expect(fit.concurrentFullSequences).toBe(0);
  });

  it("gives the KV room in GiB and tokens against one maxModelLen sequence", () => {
    expect(message).toContain("leaves 3.2 GiB for the KV cache");
    expect(message).toContain("= 26,339 tokens at 128 KiB/token");
    expect(message).toContain("one maxModelLen 32,768-token sequence needs 4.0 GiB");
    expect(message).not.toContain("estimated");
  });

  it("offers every fix with its effect", () => {
    expect(message).toContain("lower maxModelLen to at most 26,339");
    // 0.95: 21.23 - 14.90 - 2 = 4.33 GiB / 128 KiB = 35,494 tokens
    expect(message).toContain("raise gpuMemoryUtilization up to 0.95 (35,494 tokens)");
    expect(message).toContain("more GPUs per replica (needs at least 2 x L4, the pool's g6.12xlarge has 4)");
    // fp8 cache: 64 KiB/token, twice the tokens (52,678 after flooring)
    expect(message).toContain("an fp8 KV cache (kvCacheBytesPerElement 1, vLLM --kv-cache-dtype fp8: 52,678 tokens)");
  });

  it("points at model.architecture when the size was estimated", () => {
    const estimated = { ...input, architecture: undefined };
    const [line] = explainFit(modelFit(estimated), estimated, { pool: "gpu", instanceType: "g6.xlarge", gpusPerNode: 1 });
    expect(line).toContain("24,832 tokens at ~136 KiB/token (estimated; give model.architecture for the exact size)");
    expect(line).toContain("needs at least 2 x L4, more than one node's 1 GPU: use a larger GPU or quantize");
  });

  it("holds room for minKvCacheTokens, never less than one maxModelLen sequence", () => {
    const many = modelFit({ ...input, maxModelLen: 8192, minKvCacheTokens: 32768 });
    expect(many.requiredKvTokens).toBe(32768);
    expect(many.fits).toBe(false);
    const [line] = explainFit(many, { ...input, maxModelLen: 8192, minKvCacheTokens: 32768 }, { pool: "gpu", instanceType: "g6.xlarge", gpusPerNode: 1 });
    expect(line).toContain("minKvCacheTokens asks for 32,768 tokens = 4.0 GiB");
    expect(line).toContain("lower minKvCacheTokens to at most 26,339");
    expect(modelFit({ ...input, maxModelLen: 8192, minKvCacheTokens: 1000 }).requiredKvTokens).toBe(8192);
  });
});

describe("the power-of-two GPU count suggestion", () => {
  it("picks 2 x T4 for an 8B float16 model that overflows one T4", () => {
    // T4: 15 GiB usable x 0.9 = 13.5 GiB < 14.9 + 2; two: 27 - 4 - 14.9 = 8.1 GiB of KV cache.
    const input: ModelFitInput = { ...ON_ONE_L4, dtype: "float16", parametersBillions: 8, gpuModel: "T4", gpuMemoryGiB: 16 };
    const [message] = explainFit(modelFit(input), input, { pool: "t4", instanceType: "g4dn.12xlarge", gpusPerNode: 4 });
    expect(message).toContain("needs at least 2 x T4, the pool's g4dn.12xlarge has 4");
    expect(message).toContain("a larger GPU (1 x A10G/L4 24 GiB)");
  });

  it("says no GPU count up to 8 will do", () => {
    const input: ModelFitInput = { ...ON_ONE_L4, parametersBillions: 405 };
    const [message] = explainFit(modelFit(input), input, { pool: "gpu", instanceType: "g6.48xlarge", gpusPerNode: 8 });
    expect(message).toContain("more GPUs per replica would not do (needs more than 8 x L4");
    expect(message).toContain("quantization (int4/AWQ: 188.6 GiB of weights, fp8: 377.2 GiB)");
  });
});

describe("invalid input", () => {
  it("names every bad field at once", () => {
    expect(() =>
      modelFit({ ...ON_ONE_L4, parametersBillions: 0, gpuMemoryUtilization: 1.2, gpusPerReplica: 1.5 }),
    ).toThrow(/parametersBillions \(0\) must be a positive number[\s\S]*gpusPerReplica \(1.5\) must be a positive integer[\s\S]*gpuMemoryUtilization \(1.2\) must be a fraction/);
  });
});

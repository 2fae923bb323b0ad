import { GpuCatalog, GpuInstanceType } from "../../lib/planning/gpu-catalog";

const EXPECTED_SIZES: Record<string, string[]> = {
  g4dn: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  g5: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
  g6: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
  g6e: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
  gr6: ["4xlarge", "8xlarge"],
  p4d: ["24xlarge"],
  p4de: ["24xlarge"],
  p5: ["4xlarge", "48xlarge"],
  p5e: ["48xlarge"],
  p5en: ["48xlarge"],
  "p6-b200": ["48xlarge"],
};

function entry(instanceType: string): GpuInstanceType {
  const found = GpuCatalog.find(instanceType);
  if (!found) throw new Error(`${instanceType} missing from the catalog`);
  return found;
}

function shape(e: GpuInstanceType): Pick<GpuInstanceType, "gpuModel" | "gpuCount" | "gpuMemoryGiB" | "vcpus" | "memoryGiB"> {
  return { gpuModel: e.gpuModel, gpuCount: e.gpuCount, gpuMemoryGiB: e.gpuMemoryGiB, vcpus: e.vcpus, memoryGiB: e.memoryGiB };
}

describe("GpuCatalog data", () => {
  test("every required family is present with exactly the sizes AWS sells", () => {
    for (const [family, sizes] of Object.entries(EXPECTED_SIZES)) {
      const actual = GpuCatalog.instanceTypes().filter((t) => t.startsWith(`${family}.`));
      expect({ family, types: actual.sort() }).toEqual({ family, types: sizes.map((s) => `${family}.${s}`).sort() });
    }
    expect(GpuCatalog.families()).toEqual(Object.keys(EXPECTED_SIZES).sort());
  });

  test("g6.xlarge is 1 x L4 24 GiB with 4 vCPUs and 16 GiB", () => {
    expect(shape(entry("g6.xlarge"))).toEqual({ gpuModel: "L4", gpuCount: 1, gpuMemoryGiB: 24, vcpus: 4, memoryGiB: 16 });
    expect(entry("g6.xlarge").gpuArchitecture).toBe("Ada Lovelace");
  });

  test("multi-GPU sizes carry the right GPU count", () => {
    expect(shape(entry("g5.48xlarge"))).toEqual({ gpuModel: "A10G", gpuCount: 8, gpuMemoryGiB: 24, vcpus: 192, memoryGiB: 768 });
    expect(entry("g6.12xlarge").gpuCount).toBe(4);
    expect(entry("g6.48xlarge").gpuCount).toBe(8);
    expect(entry("g4dn.metal").gpuCount).toBe(8);
    expect(entry("g4dn.12xlarge").gpuCount).toBe(4);
    expect(entry("g6e.48xlarge").gpuCount).toBe(8);
  });

  test("single-GPU large sizes keep one GPU (g4dn.16xlarge, g5.16xlarge, gr6.8xlarge, p5.4xlarge)", () => {
    expect(entry("g4dn.16xlarge").gpuCount).toBe(1);
    expect(entry("g5.16xlarge").gpuCount).toBe(1);
    expect(shape(entry("gr6.8xlarge"))).toEqual({ gpuModel: "L4", gpuCount: 1, gpuMemoryGiB: 24, vcpus: 32, memoryGiB: 256 });
    expect(shape(entry("p5.4xlarge"))).toEqual({ gpuModel: "H100", gpuCount: 1, gpuMemoryGiB: 80, vcpus: 16, memoryGiB: 256 });
  });

  test("A100 memory differs between p4d (40 GiB) and p4de (80 GiB)", () => {
    expect(shape(entry("p4d.24xlarge"))).toEqual({ gpuModel: "A100", gpuCount: 8, gpuMemoryGiB: 40, vcpus: 96, memoryGiB: 1152 });
    expect(shape(entry("p4de.24xlarge"))).toEqual({ gpuModel: "A100", gpuCount: 8, gpuMemoryGiB: 80, vcpus: 96, memoryGiB: 1152 });
  });

  test("Hopper and Blackwell p-family values: p5 8 x H100 80 GiB, p5e/p5en 8 x H200 141 GiB, p6-b200 8 x B200 179 GiB", () => {
    expect(shape(entry("p5.48xlarge"))).toEqual({ gpuModel: "H100", gpuCount: 8, gpuMemoryGiB: 80, vcpus: 192, memoryGiB: 2048 });
    expect(shape(entry("p5e.48xlarge"))).toEqual({ gpuModel: "H200", gpuCount: 8, gpuMemoryGiB: 141, vcpus: 192, memoryGiB: 2048 });
    expect(shape(entry("p5en.48xlarge"))).toEqual({ gpuModel: "H200", gpuCount: 8, gpuMemoryGiB: 141, vcpus: 192, memoryGiB: 2048 });
    expect(shape(entry("p6-b200.48xlarge"))).toEqual({ gpuModel: "B200", gpuCount: 8, gpuMemoryGiB: 179, vcpus: 192, memoryGiB: 2048 });
    expect(entry("p5.48xlarge").gpuArchitecture).toBe("Hopper");
  });

  test("g6e.xlarge is 1 x L40S 48 GiB with 4 vCPUs and 32 GiB", () => {
    expect(shape(entry("g6e.xlarge"))).toEqual({ gpuModel: "L40S", gpuCount: 1, gpuMemoryGiB: 48, vcpus: 4, memoryGiB: 32 });
  });

  test("every entry has an https source, positive numbers and a family equal to the type prefix", () => {
    const types = GpuCatalog.instanceTypes();
    expect(types.length).toBe(Object.values(EXPECTED_SIZES).flat().length);
    for (const t of types) {
      const e = entry(t);
      expect(e.instanceType).toBe(t);
      expect(t.startsWith(`${e.family}.`)).toBe(true);
      expect(e.source).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
      for (const n of [e.gpuCount, e.gpuMemoryGiB, e.vcpus, e.memoryGiB]) {
        expect(Number.isInteger(n) && n > 0).toBe(true);
      }
      expect(e.gpuArchitecture.length).toBeGreaterThan(0);
      expect(e.computeCapability).toMatch(/^\d+\.\d$/);
    }
  });

  test("every family has a single GPU model and GPU memory size, so a pool of one family never mixes GPUs", () => {
    for (const family of GpuCatalog.families()) {
      const entries = GpuCatalog.instanceTypes().filter((t) => t.startsWith(`${family}.`)).map(entry);
      expect(new Set(entries.map((e) => `${e.gpuModel}/${e.gpuMemoryGiB}`)).size).toBe(1);
    }
  });

  test("instanceTypes() is sorted by family then size and has no duplicates", () => {
    const types = GpuCatalog.instanceTypes();
    expect(new Set(types).size).toBe(types.length);
    expect(types.slice(0, 7)).toEqual(EXPECTED_SIZES.g4dn?.map((s) => `g4dn.${s}`));
    expect(types.filter((t) => t.startsWith("g6e."))).toEqual(EXPECTED_SIZES.g6e?.map((s) => `g6e.${s}`));
    expect(types[types.length - 1]).toBe("p6-b200.48xlarge");
  });

  test("entries are frozen so callers cannot change the catalog", () => {
    expect(Object.isFrozen(entry("g6.xlarge"))).toBe(true);
    const families = GpuCatalog.families();
    families.push("m5");
    expect(GpuCatalog.families()).not.toContain("m5");
  });
});

describe("GpuCatalog.explainMissing", () => {
  test("is undefined for a catalogued type", () => {
    expect(GpuCatalog.explainMissing("g6.xlarge")).toBeUndefined();
  });

  test("says a CPU-only type has no NVIDIA GPU and names its family", () => {
    expect(GpuCatalog.explainMissing("m5.large")).toBe("m5.large has no NVIDIA GPU (family m5 is not a GPU family)");
  });

  test("names the accelerator of a non-NVIDIA accelerated type", () => {
    expect(GpuCatalog.explainMissing("inf2.xlarge")).toBe("inf2.xlarge has AWS Inferentia accelerators, not NVIDIA GPUs");
    expect(GpuCatalog.explainMissing("g4ad.xlarge")).toBe("g4ad.xlarge has AMD Radeon Pro V520 GPUs, not NVIDIA GPUs");
    expect(GpuCatalog.explainMissing("trn1.32xlarge")).toBe("trn1.32xlarge has AWS Trainium accelerators, not NVIDIA GPUs");
    expect(GpuCatalog.explainMissing("dl1.24xlarge")).toBe("dl1.24xlarge has Habana Gaudi accelerators, not NVIDIA GPUs");
    expect(GpuCatalog.explainMissing("f1.2xlarge")).toBe("f1.2xlarge has FPGAs, not NVIDIA GPUs");
  });

  test("rejects g5g because it is arm64 while node pools use x86_64 NVIDIA AMIs", () => {
    const why = GpuCatalog.explainMissing("g5g.xlarge");
    expect(why).toContain("g5g.xlarge has NVIDIA T4G GPUs on AWS Graviton (arm64) CPUs");
    expect(why).toContain("x86_64");
  });

  test("does not claim an uncatalogued NVIDIA family has no GPU", () => {
    expect(GpuCatalog.explainMissing("p3.2xlarge")).toContain("NVIDIA V100 GPUs");
    expect(GpuCatalog.explainMissing("g6f.xlarge")).toContain("fraction of an NVIDIA L4 GPU");
    expect(GpuCatalog.explainMissing("p3.2xlarge")).not.toContain("no NVIDIA GPU");
  });

  test("lists the real sizes when the family is known but the size is not", () => {
    expect(GpuCatalog.explainMissing("g6.huge")).toBe(
      "g6.huge is not a g6 size; g6 sizes: g6.xlarge, g6.2xlarge, g6.4xlarge, g6.8xlarge, g6.12xlarge, g6.16xlarge, g6.24xlarge, g6.48xlarge",
    );
  });

  test("says a malformed string is not an EC2 instance type name", () => {
    expect(GpuCatalog.explainMissing("banana")).toContain('"banana" is not an EC2 instance type name');
    expect(GpuCatalog.explainMissing("")).toContain('"" is not an EC2 instance type name');
    expect(GpuCatalog.explainMissing("g6.")).toContain("is not an EC2 instance type name");
    expect(GpuCatalog.explainMissing("G6.XLARGE")).toBe('"G6.XLARGE" is not an EC2 instance type name; did you mean "g6.xlarge"?');
  });
});

describe("GpuCatalog.get", () => {
  test("returns the entry for a catalogued type", () => {
    expect(GpuCatalog.get("p5.48xlarge").gpuModel).toBe("H100");
  });

  test("throws with the reason and the list of GPU families", () => {
    expect(() => GpuCatalog.get("m5.large")).toThrow("m5.large has no NVIDIA GPU (family m5 is not a GPU family)");
    expect(() => GpuCatalog.get("inf2.xlarge")).toThrow(/g4dn \(T4 16 GiB\), g5 \(A10G 24 GiB\), g6 \(L4 24 GiB\), g6e \(L40S 48 GiB\)/);
    expect(() => GpuCatalog.get("banana")).toThrow(/p5e \(H200 141 GiB\)/);
    expect(() => GpuCatalog.get("G6.XLARGE")).toThrow('did you mean "g6.xlarge"? NVIDIA GPU families: g4dn');
  });

  test("describeFamilies() lists each family with its GPU model and per-GPU memory", () => {
    expect(GpuCatalog.describeFamilies()).toBe(
      "g4dn (T4 16 GiB), g5 (A10G 24 GiB), g6 (L4 24 GiB), g6e (L40S 48 GiB), gr6 (L4 24 GiB), p4d (A100 40 GiB), " +
        "p4de (A100 80 GiB), p5 (H100 80 GiB), p5e (H200 141 GiB), p5en (H200 141 GiB), p6-b200 (B200 179 GiB)",
    );
  });
});

describe("GpuCatalog.totalGpuMemoryGiB", () => {
  test("multiplies GPU count by per-GPU memory", () => {
    expect(GpuCatalog.totalGpuMemoryGiB("g6.xlarge")).toBe(24);
    expect(GpuCatalog.totalGpuMemoryGiB("g6.12xlarge")).toBe(96);
    expect(GpuCatalog.totalGpuMemoryGiB("g5.48xlarge")).toBe(192);
    expect(GpuCatalog.totalGpuMemoryGiB("p4de.24xlarge")).toBe(640);
    expect(GpuCatalog.totalGpuMemoryGiB("p5e.48xlarge")).toBe(1128);
  });

  test("throws for a type outside the catalog", () => {
    expect(() => GpuCatalog.totalGpuMemoryGiB("m5.large")).toThrow("has no NVIDIA GPU");
  });
});

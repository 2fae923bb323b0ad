/*
 * Catalog of the EC2 instance types that carry whole NVIDIA GPUs on x86_64, used at synth time
 * to validate GPU node pools, label nodes and (later) size models against GPU memory.
 *
 * Data read 2026-11-28. Per-size numbers (GPU count, vCPUs, instance memory) are EC2
 * DescribeInstanceTypes values as published in Karpenter's generated instance-type reference
 * (github.com/aws/karpenter-provider-aws, website/content/en/v1.8/reference/instance-types.md),
 * cross-checked against the GPU instance table of the AWS Batch user guide
 * (https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html). The `source` of each row is
 * the AWS page that lists its family; the full spec table is
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html.
 *
 * GPU memory is per GPU, in GiB, as AWS lists it. The API reports usable MiB, which is a little
 * lower for GDDR parts (A10G and L4 report 22888 MiB, L40S 45776 MiB); HBM parts match
 * (A100 40960/81920, H100 81920, H200 144384 = 141 GiB, B200 183359 = 179 GiB).
 * Architecture and CUDA compute capability for T4, A10G and H100 match nvidia-smi output scraped
 * on these instances (Karpenter's DRA GPU metadata); the others are NVIDIA's published values.
 * No pricing here on purpose.
 */

/** NVIDIA GPU models found in the catalog. */
export type GpuModel = "T4" | "A10G" | "L4" | "L40S" | "A100" | "H100" | "H200" | "B200";

/** One EC2 instance type with NVIDIA GPUs. */
export interface GpuInstanceType {
  /** EC2 instance type, e.g. "g6.xlarge". */
  readonly instanceType: string;
  /** Instance family, the part before the dot, e.g. "g6". */
  readonly family: string;
  /** NVIDIA GPU model, e.g. "L4". */
  readonly gpuModel: GpuModel;
  /** NVIDIA GPU architecture, e.g. "Ada Lovelace"; decides dtype support (bf16 from Ampere, fp8 from Ada/Hopper). */
  readonly gpuArchitecture: string;
  /** CUDA compute capability, e.g. "8.9". */
  readonly computeCapability: string;
  /** Number of GPUs in one instance. */
  readonly gpuCount: number;
  /** Memory of one GPU in GiB, as AWS lists it. */
  readonly gpuMemoryGiB: number;
  /** vCPUs of one instance. */
  readonly vcpus: number;
  /** Instance (host) memory in GiB. */
  readonly memoryGiB: number;
  /** URL of the AWS page that lists these numbers (for an on-premises shape: the GPU's and the server's data sheets). */
  readonly source: string;
  /**
   * True for an on-premises server shape (e.g. "onprem-l40s.4gpu"): a declared on-premises pool's servers, which
   * EKS Hybrid Nodes join; never an EC2 instance type.
   * @default false
   */
  readonly onPremises?: boolean;
}

interface GpuSpec {
  readonly model: GpuModel;
  readonly architecture: string;
  readonly computeCapability: string;
  readonly memoryGiB: number;
}

const T4: GpuSpec = { model: "T4", architecture: "Turing", computeCapability: "7.5", memoryGiB: 16 };
const A10G: GpuSpec = { model: "A10G", architecture: "Ampere", computeCapability: "8.6", memoryGiB: 24 };
const L4: GpuSpec = { model: "L4", architecture: "Ada Lovelace", computeCapability: "8.9", memoryGiB: 24 };
const L40S: GpuSpec = { model: "L40S", architecture: "Ada Lovelace", computeCapability: "8.9", memoryGiB: 48 };
const A100_40: GpuSpec = { model: "A100", architecture: "Ampere", computeCapability: "8.0", memoryGiB: 40 };
const A100_80: GpuSpec = { model: "A100", architecture: "Ampere", computeCapability: "8.0", memoryGiB: 80 };
const H100: GpuSpec = { model: "H100", architecture: "Hopper", computeCapability: "9.0", memoryGiB: 80 };
const H200: GpuSpec = { model: "H200", architecture: "Hopper", computeCapability: "9.0", memoryGiB: 141 };
const B200: GpuSpec = { model: "B200", architecture: "Blackwell", computeCapability: "10.0", memoryGiB: 179 };

/** [size, GPUs, vCPUs, instance memory GiB] */
type Size = readonly [string, number, number, number];

interface FamilyRow {
  readonly family: string;
  readonly gpu: GpuSpec;
  readonly source: string;
  readonly sizes: readonly Size[];
}

const FAMILIES: readonly FamilyRow[] = [
  {
    family: "g4dn",
    gpu: T4,
    source: "https://aws.amazon.com/ec2/instance-types/g4/",
    sizes: [
      ["xlarge", 1, 4, 16],
      ["2xlarge", 1, 8, 32],
      ["4xlarge", 1, 16, 64],
      ["8xlarge", 1, 32, 128],
      ["12xlarge", 4, 48, 192],
      ["16xlarge", 1, 64, 256],
      ["metal", 8, 96, 384],
    ],
  },
  {
    family: "g5",
    gpu: A10G,
    source: "https://aws.amazon.com/ec2/instance-types/g5/",
    sizes: [
      ["xlarge", 1, 4, 16],
      ["2xlarge", 1, 8, 32],
      ["4xlarge", 1, 16, 64],
      ["8xlarge", 1, 32, 128],
      ["12xlarge", 4, 48, 192],
      ["16xlarge", 1, 64, 256],
      ["24xlarge", 4, 96, 384],
      ["48xlarge", 8, 192, 768],
    ],
  },
  {
    family: "g6",
    gpu: L4,
    source: "https://aws.amazon.com/ec2/instance-types/g6/",
    sizes: [
      ["xlarge", 1, 4, 16],
      ["2xlarge", 1, 8, 32],
      ["4xlarge", 1, 16, 64],
      ["8xlarge", 1, 32, 128],
      ["12xlarge", 4, 48, 192],
      ["16xlarge", 1, 64, 256],
      ["24xlarge", 4, 96, 384],
      ["48xlarge", 8, 192, 768],
    ],
  },
  {
    family: "g6e",
    gpu: L40S,
    source: "https://aws.amazon.com/ec2/instance-types/g6e/",
    sizes: [
      ["xlarge", 1, 4, 32],
      ["2xlarge", 1, 8, 64],
      ["4xlarge", 1, 16, 128],
      ["8xlarge", 1, 32, 256],
      ["12xlarge", 4, 48, 384],
      ["16xlarge", 1, 64, 512],
      ["24xlarge", 4, 96, 768],
      ["48xlarge", 8, 192, 1536],
    ],
  },
  {
    // gr6 is the memory-heavy (8 GiB per vCPU) variant of g6.
    family: "gr6",
    gpu: L4,
    source: "https://aws.amazon.com/ec2/instance-types/g6/",
    sizes: [
      ["4xlarge", 1, 16, 128],
      ["8xlarge", 1, 32, 256],
    ],
  },
  {
    family: "p4d",
    gpu: A100_40,
    source: "https://aws.amazon.com/ec2/instance-types/p4/",
    sizes: [["24xlarge", 8, 96, 1152]],
  },
  {
    family: "p4de",
    gpu: A100_80,
    source: "https://aws.amazon.com/ec2/instance-types/p4/",
    sizes: [["24xlarge", 8, 96, 1152]],
  },
  {
    family: "p5",
    gpu: H100,
    source: "https://aws.amazon.com/ec2/instance-types/p5/",
    sizes: [
      ["4xlarge", 1, 16, 256],
      ["48xlarge", 8, 192, 2048],
    ],
  },
  {
    family: "p5e",
    gpu: H200,
    source: "https://aws.amazon.com/ec2/instance-types/p5/",
    sizes: [["48xlarge", 8, 192, 2048]],
  },
  {
    family: "p5en",
    gpu: H200,
    source: "https://aws.amazon.com/ec2/instance-types/p5/",
    sizes: [["48xlarge", 8, 192, 2048]],
  },
  {
    family: "p6-b200",
    gpu: B200,
    source: "https://aws.amazon.com/ec2/instance-types/p6/",
    sizes: [["48xlarge", 8, 192, 2048]],
  },
];

/**
 * Accelerated families that are deliberately not in the catalog, so an error can say what the
 * instance has instead of "no GPU". `nvidia` marks NVIDIA hardware we still reject, with why.
 */
const OTHER_ACCELERATED: Readonly<Record<string, { readonly has: string; readonly nvidia?: string }>> = {
  g4ad: { has: "AMD Radeon Pro V520 GPUs" },
  inf1: { has: "AWS Inferentia accelerators" },
  inf2: { has: "AWS Inferentia accelerators" },
  trn1: { has: "AWS Trainium accelerators" },
  trn1n: { has: "AWS Trainium accelerators" },
  trn2: { has: "AWS Trainium accelerators" },
  dl1: { has: "Habana Gaudi accelerators" },
  dl2q: { has: "Qualcomm AI 100 accelerators" },
  f1: { has: "FPGAs" },
  f2: { has: "FPGAs" },
  vt1: { has: "Xilinx video transcoding accelerators" },
  g5g: {
    has: "NVIDIA T4G GPUs on AWS Graviton (arm64) CPUs",
    nvidia: "GPU node pools run x86_64 NVIDIA AMIs",
  },
  g6f: {
    has: "a fraction of an NVIDIA L4 GPU",
    nvidia: "fractional GPUs need NVIDIA GRID drivers and do not expose a whole nvidia.com/gpu",
  },
  gr6f: {
    has: "a fraction of an NVIDIA L4 GPU",
    nvidia: "fractional GPUs need NVIDIA GRID drivers and do not expose a whole nvidia.com/gpu",
  },
  "p6e-gb200": {
    has: "NVIDIA GB200 superchips with Grace (arm64) CPUs",
    nvidia: "GPU node pools run x86_64 NVIDIA AMIs",
  },
  "p6-b300": { has: "NVIDIA B300 GPUs", nvidia: "newer family, not catalogued yet" },
  g7: { has: "NVIDIA RTX PRO 4500 Blackwell GPUs", nvidia: "newer family, not catalogued yet" },
  g7e: { has: "NVIDIA RTX PRO 6000 Blackwell GPUs", nvidia: "newer family, not catalogued yet" },
  p3: { has: "NVIDIA V100 GPUs", nvidia: "older generation, not catalogued" },
  p3dn: { has: "NVIDIA V100 GPUs", nvidia: "older generation, not catalogued" },
  p2: { has: "NVIDIA K80 GPUs", nvidia: "older generation, not catalogued" },
  g3: { has: "NVIDIA M60 GPUs", nvidia: "older generation, not catalogued" },
  g3s: { has: "NVIDIA M60 GPUs", nvidia: "older generation, not catalogued" },
};

const INSTANCE_TYPE = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/;

function compareEntries(a: GpuInstanceType, b: GpuInstanceType): number {
  if (a.family !== b.family) return a.family < b.family ? -1 : 1;
  if (a.vcpus !== b.vcpus) return a.vcpus - b.vcpus;
  // A .metal size sorts after the virtualized size with the same vCPUs.
  const aMetal = a.instanceType.endsWith(".metal") ? 1 : 0;
  const bMetal = b.instanceType.endsWith(".metal") ? 1 : 0;
  if (aMetal !== bMetal) return aMetal - bMetal;
  return a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : 0;
}

/** One frozen catalog entry per size of each family row. */
function entriesOf(rows: readonly FamilyRow[], extra: Partial<GpuInstanceType> = {}): GpuInstanceType[] {
  return rows.flatMap((row) =>
    row.sizes.map(([size, gpuCount, vcpus, memoryGiB]) =>
      Object.freeze({
        instanceType: `${row.family}.${size}`,
        family: row.family,
        gpuModel: row.gpu.model,
        gpuArchitecture: row.gpu.architecture,
        computeCapability: row.gpu.computeCapability,
        gpuCount,
        gpuMemoryGiB: row.gpu.memoryGiB,
        vcpus,
        memoryGiB,
        source: row.source,
        ...extra,
      } satisfies GpuInstanceType),
    ),
  );
}

const ENTRIES: readonly GpuInstanceType[] = entriesOf(FAMILIES).sort(compareEntries);

/*
 * On-premises GPU server shapes: what an on-premises pool declares so that the fit check, quotas and the plan
 * work as for EC2 types. GPU numbers are NVIDIA's data sheets (L40S: 48 GB GDDR6, Ada Lovelace, compute
 * capability 8.9, https://www.nvidia.com/en-us/data-center/l40s/; H100 SXM: 80 GB HBM3,
 * https://www.nvidia.com/en-us/data-center/h100/). vCPUs and memory are the smallest configuration of the
 * NVIDIA-Certified server classes that carry that many GPUs (2-socket PCIe servers such as Dell PowerEdge
 * R760xa for 2 and 4 L40S, 8-GPU PCIe servers such as Supermicro SYS-421GE-TNRT for 8, HGX H100 for 8 H100;
 * https://www.nvidia.com/en-us/data-center/products/certified-systems/): pods request 75% of a GPU's share
 * of them, so declare the shape whose vCPUs and memory your smallest server meets.
 */
const ON_PREMISES_FAMILIES: readonly FamilyRow[] = [
  {
    family: "onprem-l40s",
    gpu: L40S,
    source: "https://www.nvidia.com/en-us/data-center/l40s/",
    sizes: [
      ["2gpu", 2, 64, 512],
      ["4gpu", 4, 128, 1024],
      ["8gpu", 8, 192, 1536],
    ],
  },
  {
    family: "onprem-h100",
    gpu: H100,
    source: "https://www.nvidia.com/en-us/data-center/h100/",
    sizes: [["8gpu", 8, 224, 2048]],
  },
];

const ON_PREMISES_ENTRIES: readonly GpuInstanceType[] = entriesOf(ON_PREMISES_FAMILIES, { onPremises: true });

const BY_TYPE: ReadonlyMap<string, GpuInstanceType> = new Map(ENTRIES.map((e) => [e.instanceType, e]));
const ON_PREMISES_BY_SHAPE: ReadonlyMap<string, GpuInstanceType> = new Map(ON_PREMISES_ENTRIES.map((e) => [e.instanceType, e]));

const FAMILY_NAMES: readonly string[] = [...new Set(ENTRIES.map((e) => e.family))];

/** Lookups over the table of EC2 instance types with NVIDIA GPUs. */
export class GpuCatalog {
  /**
   * The entry for an instance type (or an on-premises server shape, `onPremises: true`), or undefined when it is
   * not an NVIDIA GPU type known to the catalog.
   */
  static find(instanceType: string): GpuInstanceType | undefined {
    return BY_TYPE.get(instanceType) ?? ON_PREMISES_BY_SHAPE.get(instanceType);
  }

  /** An on-premises server shape, e.g. "onprem-l40s.4gpu"; undefined for anything else (EC2 types included). */
  static findOnPremises(shape: string): GpuInstanceType | undefined {
    return ON_PREMISES_BY_SHAPE.get(shape);
  }

  /** All on-premises server shapes, e.g. ["onprem-h100.8gpu", "onprem-l40s.2gpu", ...]. */
  static onPremisesShapes(): string[] {
    return ON_PREMISES_ENTRIES.map((e) => e.instanceType).sort();
  }

  /** Same as find, but throws an Error explaining why (unknown, non-NVIDIA accelerator, CPU-only family) and listing valid GPU families. */
  static get(instanceType: string): GpuInstanceType {
    const entry = GpuCatalog.find(instanceType);
    if (entry) return entry;
    const reason = GpuCatalog.explainMissing(instanceType) ?? instanceType;
    throw new Error(`${reason}${reason.endsWith("?") ? "" : "."} NVIDIA GPU families: ${GpuCatalog.describeFamilies()}.`);
  }

  /** Why the type is not in the catalog, in one sentence without a final period (e.g. "g6.huge is not a g6 size; g6 sizes: ..."); undefined when it is in the catalog. */
  static explainMissing(instanceType: string): string | undefined {
    if (BY_TYPE.has(instanceType)) return undefined;
    if (ON_PREMISES_BY_SHAPE.has(instanceType)) return `${instanceType} is an on-premises server shape, not an EC2 instance type (declare it in onPremisesGpuPools)`;
    const match = INSTANCE_TYPE.exec(instanceType);
    if (!match) {
      const normalized = instanceType.trim().toLowerCase();
      if (BY_TYPE.has(normalized)) return `"${instanceType}" is not an EC2 instance type name; did you mean "${normalized}"?`;
      return `"${instanceType}" is not an EC2 instance type name (expected <family>.<size>, e.g. "g6.xlarge")`;
    }
    const family = match[1] ?? "";
    const sizes = ENTRIES.filter((e) => e.family === family).map((e) => e.instanceType);
    if (sizes.length > 0) return `${instanceType} is not a ${family} size; ${family} sizes: ${sizes.join(", ")}`;
    const other = OTHER_ACCELERATED[family];
    if (other?.nvidia !== undefined) return `${instanceType} has ${other.has}, which the catalog does not support (${other.nvidia})`;
    if (other) return `${instanceType} has ${other.has}, not NVIDIA GPUs`;
    return `${instanceType} has no NVIDIA GPU (family ${family} is not a GPU family)`;
  }

  /** All instance type names, sorted by family then size. */
  static instanceTypes(): string[] {
    return ENTRIES.map((e) => e.instanceType);
  }

  /** All GPU family names, sorted, e.g. ["g4dn", "g5", ...]. */
  static families(): string[] {
    return [...FAMILY_NAMES];
  }

  /** A short human list for error messages: "g4dn (T4 16 GiB), g5 (A10G 24 GiB), ...". */
  static describeFamilies(): string {
    return FAMILY_NAMES.map((family) => {
      const first = ENTRIES.find((e) => e.family === family);
      return first ? `${family} (${first.gpuModel} ${first.gpuMemoryGiB} GiB)` : family;
    }).join(", ");
  }

  /** Total GPU memory of one instance in GiB (gpuCount * gpuMemoryGiB); throws like get() for unknown types. */
  static totalGpuMemoryGiB(instanceType: string): number {
    const entry = GpuCatalog.get(instanceType);
    return entry.gpuCount * entry.gpuMemoryGiB;
  }
}

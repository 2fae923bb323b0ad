/*
 * On-demand list prices of the NVIDIA GPU instance types in gpu-catalog.ts, for rough cost
 * comparisons at synth time (e.g. "this plan needs 2 x g6e.12xlarge, about $21/h").
 *
 * What the numbers are: the public On-Demand hourly rate in us-east-1 for Linux, shared tenancy
 * (bare-metal sizes: the on-demand "Compute Instance (bare metal)" SKU), no pre-installed
 * software, in USD. They are list prices: no Savings Plans, no Reserved Instances, no Spot, no
 * Capacity Blocks, no EDP/private discounts, and nothing for EBS, data transfer or tax.
 *
 * Source: the us-east-1 table of Karpenter's generated pricing file
 * (aws/karpenter-provider-aws, pkg/providers/pricing/zz_generated.pricing_aws.go). Karpenter fills
 * it from the AWS Price List API (GetProducts filtered on regionCode, operatingSystem=Linux,
 * preInstalledSw=NA, capacitystatus=Used, marketoption=OnDemand, tenancy=Shared; see
 * pkg/providers/pricing/pricing.go). Two stored generations were read and agree on every value
 * below: "generated at 2026-01-19T13:23:24Z" (commit 031e72b6099630e960dacb88b48a7e9bb780945f) and
 * "generated at 2026-02-09T13:43:35Z" (commit 265ee0ba5b8e337dec6b82dde965b03021ccb418, the one
 * cited). No newer figure was found; prices may have changed since February 2026.
 * The AWS pages themselves (aws.amazon.com/ec2/pricing/on-demand, the instance-type pages) and
 * instances.vantage.sh pages for these types were not in the searchable stored copies, so they
 * could not be read directly.
 *
 * The P4d/P4de/P5/P5en figures are the prices after AWS's June 2025 on-demand cut ("up to 45%"):
 * p5.48xlarge is $55.04 (commonly quoted before the cut as $98.32, i.e. -44%) and p4d.24xlarge is
 * $21.96 (before: about $32.77, i.e. -33%). Many 2026 blog posts still quote the pre-cut numbers;
 * they were not used.
 * Independent agreement: dstack PR #4110 (github.com/dstackai/dstack/pull/4110, 2026-08-06) lists
 * p5en.48xlarge on-demand in us-east-1 at $63.296; a 2026-06-17 factualminds.com post gives
 * g5.xlarge at $1.006; a Hugging Face benchmark citing instances.vantage.sh gives g6e.48xlarge at
 * $30.131.
 *
 * Missing: p5e.48xlarge. No source gives a us-east-1 on-demand price: it is absent from both
 * Karpenter generations (which keep only marketoption=OnDemand, so Capacity-Block-only offerings
 * drop out), and an unattributed public price table whose other values match these marks it
 * "No On-demand price available". Figures seen elsewhere (~$107/h, $120/h) are labelled estimates or placeholders and
 * were not used. Callers must treat a missing entry as "price unknown", not as free.
 */

/** On-demand Linux list price of one instance type in one region. */
export interface GpuInstancePrice {
  readonly instanceType: string;
  readonly usdPerHour: number;
  readonly source: string;
}

/** Region the prices are for. */
export const GPU_PRICE_REGION = "us-east-1";

/**
 * The date (YYYY-MM-DD) the prices were read. The source states its own dates: the Karpenter
 * pricing file cited was generated 2026-02-09 (an earlier generation of 2026-01-19 has the same
 * values); corroborating pages are dated 2026-06-17 (factualminds.com) and 2026-08-06 (dstack PR).
 */
export const GPU_PRICES_READ_ON = "2026-11-28";

const AWS_PRICE_LIST_VIA_KARPENTER =
  "https://github.com/aws/karpenter-provider-aws/blob/265ee0ba5b8e337dec6b82dde965b03021ccb418/pkg/providers/pricing/zz_generated.pricing_aws.go";

/** Prices by instance type; types without a published price found are absent. */
export const GPU_ON_DEMAND_PRICES_USD_PER_HOUR: Readonly<Record<string, GpuInstancePrice>> = Object.freeze({
  // g4dn (T4)
  "g4dn.xlarge": { instanceType: "g4dn.xlarge", usdPerHour: 0.526, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g4dn.2xlarge": { instanceType: "g4dn.2xlarge", usdPerHour: 0.752, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g4dn.4xlarge": { instanceType: "g4dn.4xlarge", usdPerHour: 1.204, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g4dn.8xlarge": { instanceType: "g4dn.8xlarge", usdPerHour: 2.176, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g4dn.12xlarge": { instanceType: "g4dn.12xlarge", usdPerHour: 3.912, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g4dn.16xlarge": { instanceType: "g4dn.16xlarge", usdPerHour: 4.352, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g4dn.metal": { instanceType: "g4dn.metal", usdPerHour: 7.824, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // g5 (A10G)
  "g5.xlarge": { instanceType: "g5.xlarge", usdPerHour: 1.006, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.2xlarge": { instanceType: "g5.2xlarge", usdPerHour: 1.212, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.4xlarge": { instanceType: "g5.4xlarge", usdPerHour: 1.624, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.8xlarge": { instanceType: "g5.8xlarge", usdPerHour: 2.448, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.12xlarge": { instanceType: "g5.12xlarge", usdPerHour: 5.672, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.16xlarge": { instanceType: "g5.16xlarge", usdPerHour: 4.096, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.24xlarge": { instanceType: "g5.24xlarge", usdPerHour: 8.144, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g5.48xlarge": { instanceType: "g5.48xlarge", usdPerHour: 16.288, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // g6 (L4)
  "g6.xlarge": { instanceType: "g6.xlarge", usdPerHour: 0.8048, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.2xlarge": { instanceType: "g6.2xlarge", usdPerHour: 0.9776, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.4xlarge": { instanceType: "g6.4xlarge", usdPerHour: 1.3232, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.8xlarge": { instanceType: "g6.8xlarge", usdPerHour: 2.0144, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.12xlarge": { instanceType: "g6.12xlarge", usdPerHour: 4.6016, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.16xlarge": { instanceType: "g6.16xlarge", usdPerHour: 3.3968, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.24xlarge": { instanceType: "g6.24xlarge", usdPerHour: 6.6752, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6.48xlarge": { instanceType: "g6.48xlarge", usdPerHour: 13.3504, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // g6e (L40S)
  "g6e.xlarge": { instanceType: "g6e.xlarge", usdPerHour: 1.861, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.2xlarge": { instanceType: "g6e.2xlarge", usdPerHour: 2.24208, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.4xlarge": { instanceType: "g6e.4xlarge", usdPerHour: 3.00424, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.8xlarge": { instanceType: "g6e.8xlarge", usdPerHour: 4.52856, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.12xlarge": { instanceType: "g6e.12xlarge", usdPerHour: 10.49264, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.16xlarge": { instanceType: "g6e.16xlarge", usdPerHour: 7.57719, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.24xlarge": { instanceType: "g6e.24xlarge", usdPerHour: 15.06559, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "g6e.48xlarge": { instanceType: "g6e.48xlarge", usdPerHour: 30.13118, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // gr6 (L4, 8 GiB per vCPU)
  "gr6.4xlarge": { instanceType: "gr6.4xlarge", usdPerHour: 1.5392, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "gr6.8xlarge": { instanceType: "gr6.8xlarge", usdPerHour: 2.4464, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // p4d / p4de (A100 40/80 GB), after the June 2025 price cut
  "p4d.24xlarge": { instanceType: "p4d.24xlarge", usdPerHour: 21.957642, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "p4de.24xlarge": { instanceType: "p4de.24xlarge", usdPerHour: 27.44705, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // p5 (H100), after the June 2025 price cut
  "p5.4xlarge": { instanceType: "p5.4xlarge", usdPerHour: 6.88, source: AWS_PRICE_LIST_VIA_KARPENTER },
  "p5.48xlarge": { instanceType: "p5.48xlarge", usdPerHour: 55.04, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // p5e.48xlarge (H200): no us-east-1 on-demand price found, see the header.
  // p5en (H200), after the June 2025 price cut
  "p5en.48xlarge": { instanceType: "p5en.48xlarge", usdPerHour: 63.296, source: AWS_PRICE_LIST_VIA_KARPENTER },
  // p6-b200 (B200)
  "p6-b200.48xlarge": { instanceType: "p6-b200.48xlarge", usdPerHour: 113.9328, source: AWS_PRICE_LIST_VIA_KARPENTER },
});

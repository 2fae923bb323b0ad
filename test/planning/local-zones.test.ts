import { GpuCatalog } from "../../lib/planning/gpu-catalog";
import { LOCAL_ZONE_GPU_FAMILIES, parseLocalZone } from "../../lib/planning/local-zones";

describe("Local Zone names and offerings", () => {
  it("parses a Local Zone into its parent region and zone group, and rejects availability zones", () => {
    expect(parseLocalZone("us-west-2-lax-1a")).toEqual({ region: "us-west-2", zoneGroup: "us-west-2-lax-1" });
    expect(parseLocalZone("us-east-1-atl-2a")).toEqual({ region: "us-east-1", zoneGroup: "us-east-1-atl-2" });
    expect(parseLocalZone("us-west-2a")).toBeUndefined();
  });

  it("lists only GPU families the catalog knows", () => {
    const families = GpuCatalog.families();
    for (const list of Object.values(LOCAL_ZONE_GPU_FAMILIES)) for (const f of list) expect(families).toContain(f);
  });
});

describe("on-premises server shapes in the GPU catalog", () => {
  it("finds them with their GPUs, but keeps them out of the EC2 lists and refuses them as instance types", () => {
    expect(GpuCatalog.find("onprem-l40s.4gpu")).toMatchObject({ gpuModel: "L40S", gpuCount: 4, gpuMemoryGiB: 48, computeCapability: "8.9", onPremises: true });
    expect(GpuCatalog.onPremisesShapes()).toEqual(["onprem-h100.8gpu", "onprem-l40s.2gpu", "onprem-l40s.4gpu", "onprem-l40s.8gpu"]);
    expect(GpuCatalog.instanceTypes()).not.toContain("onprem-l40s.4gpu");
    expect(GpuCatalog.families()).not.toContain("onprem-l40s");
    expect(GpuCatalog.findOnPremises("g6e.12xlarge")).toBeUndefined();
    expect(GpuCatalog.explainMissing("onprem-l40s.4gpu")).toMatch(/is an on-premises server shape, not an EC2 instance type/);
  });
});

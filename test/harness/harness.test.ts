import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack } from "cdktf";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ClusterNetwork } from "../../lib/cluster/cluster-network";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { OfflineTerraform, synthApp } from "./offline-terraform";
import { awsPartOf, offlineOverride } from "./offline";
import { plannedResources } from "./plan-json";
import { TerraformSetupError, locateProviderMirror, locateTerraform, writeCliConfig } from "./terraform";

describe("harness: locating terraform and the provider", () => {
  it("fails with the fix when the terraform binary is missing", () => {
    expect(() => locateTerraform({ ...process.env, TERRAFORM_BIN: "/nonexistent/terraform" })).toThrow(TerraformSetupError);
    expect(() => locateTerraform({ ...process.env, TERRAFORM_BIN: "/nonexistent/terraform" })).toThrow(/terraform CLI not found .*"\/nonexistent\/terraform".*Install it .* or set TERRAFORM_BIN=\/path\/to\/terraform/);
  });

  it("fails with the fix when the configured mirror lacks hashicorp/aws 5.100.0", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "empty-mirror-"));
    expect(() => locateProviderMirror({ TF_PLUGIN_MIRROR: empty })).toThrow(/TF_PLUGIN_MIRROR=.* holds no hashicorp\/aws 5\.100\.0 .*terraform providers mirror .*TF_PLUGIN_MIRROR=network/);
  });

  it("finds this machine's mirror, and lets TF_PLUGIN_MIRROR=network fall back to the registry", () => {
    expect(fs.existsSync(path.join(locateProviderMirror({}) as string, "registry.terraform.io/hashicorp/aws/5.100.0"))).toBe(true);
    expect(locateProviderMirror({ TF_PLUGIN_MIRROR: "network" })).toBe("network");
  });

  it("writes a CLI config that installs from the mirror and links it through the plugin cache", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
    const body = fs.readFileSync(writeCliConfig(dir, "/opt/mirror"), "utf8");
    expect(body).toContain('filesystem_mirror {\n    path = "/opt/mirror"');
    expect(body).toContain('plugin_cache_dir = "/opt/mirror"');
    expect(fs.readFileSync(writeCliConfig(dir, "network"), "utf8")).not.toContain("filesystem_mirror");
  });
});

describe("harness: offline override", () => {
  it("gives every aws provider block, aliases included, fake keys, skipped checks and loopback endpoints, and a local backend", () => {
    const o = offlineOverride({ provider: { aws: [{ region: "us-east-1" }, { region: "eu-west-1", alias: "eu" }] } }, "http://127.0.0.1:1");
    expect(o.provider.aws).toHaveLength(2);
    expect(o.provider.aws[1].alias).toBe("eu");
    for (const p of o.provider.aws) {
      expect(p).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: "true", access_key: expect.stringMatching(/^AKIA/) });
      expect(p.endpoints[0].sts).toBe("http://127.0.0.1:1");
    }
    expect(o.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });
});

describe("harness: real terraform, offline", () => {
  let tf: OfflineTerraform;
  beforeAll(async () => {
    tf = await OfflineTerraform.start();
  });
  afterAll(async () => tf?.stop());

  function mixedStack(awsRefersToKubernetes: boolean) {
    return synthApp((app) => {
      const stack = new TerraformStack(app, "serving");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      new KubernetesProvider(stack, "kubernetes", { host: "https://example.invalid" });
      new HelmProvider(stack, "helm", { kubernetes: { host: "https://example.invalid" } });
      const ns = new NamespaceV1(stack, "ns", { metadata: { name: "models" } });
      new Release(stack, "release", { name: "x", chart: "x", namespace: ns.metadata.name });
      new SecurityGroup(stack, "sg", { name: "endpoint", description: awsRefersToKubernetes ? ns.metadata.name : "plain", vpcId: "vpc-0123456789abcdef0" });
    }).stacks[0];
  }

  it("validates only the AWS part of a stack that also uses the kubernetes and helm providers", async () => {
    const stack = mixedStack(false);
    expect(stack.awsOnly).toBe(false);
    const cut = awsPartOf(stack.json);
    expect(cut.dropped).toEqual(["helm_release", "kubernetes_namespace_v1"]);
    expect(Object.keys(cut.json.provider)).toEqual(["aws"]);
    expect(Object.keys(cut.json.terraform.required_providers)).toEqual(["aws"]);
    const check = await tf.check(stack);
    expect(check.mode).toBe("validate-aws-part");
    expect(check.validate.valid).toBe(true);
  });

  it("fails validation when an AWS resource refers to a kubernetes resource (the cut must stay clean)", async () => {
    await expect(tf.check(mixedStack(true))).rejects.toThrow(/Reference to undeclared resource/);
  });

  it("answers the availability-zone read from the loopback stand-in during an offline plan", async () => {
    const { stacks } = synthApp((app) => {
      const stack = new TerraformStack(app, "net");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      const logsKey = new EncryptionKey(stack, "logs", { purpose: "logs" });
      new ClusterNetwork(stack, "net", { name: "probe", logsKey, availabilityZoneCount: 2, interfaceEndpoints: [] });
    });
    const check = await tf.check(stacks[0]);
    expect(tf.standIn.requests.map((r) => r.action)).toEqual(expect.arrayContaining(["DescribeAvailabilityZones", "GetCallerIdentity"]));
    const zones = plannedResources(check.plan!, "aws_subnet").map((s) => s.values.availability_zone);
    expect(zones.sort()).toEqual(["us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"]);
  });

  it("fails a plan whose data source calls an API the stand-in does not serve, instead of reaching the internet", async () => {
    const { stacks } = synthApp((app) => {
      const stack = new TerraformStack(app, "lookup");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      new DataAwsVpc(stack, "vpc", { default: true });
    });
    await expect(tf.check(stacks[0])).rejects.toThrow(/OfflinePlanUnsupported|does not answer DescribeVpcs/);
  });
});

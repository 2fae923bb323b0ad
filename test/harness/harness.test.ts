import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack } from "cdktf";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ClusterNetwork } from "../../lib/cluster/cluster-network";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { OfflineTerraform, StackCheck, synthApp } from "./offline-terraform";
import { awsPartOf, offlineOverride } from "./offline";
import { plannedResources } from "./plan-json";
import { SHARED_PROVIDER_ENV, TerraformSetupError, awsProviderLayout, locateProviderMirror, locateTerraform, writeCliConfig } from "./terraform";

describe("harness: locating terraform and the provider", () => {
  it("fails with the fix when the terraform binary is missing", () => {
    expect(() => locateTerraform({ ...process.env, TERRAFORM_BIN: "/nonexistent/terraform" })).toThrow(TerraformSetupError);
    expect(() => locateTerraform({ ...process.env, TERRAFORM_BIN: "/nonexistent/terraform" })).toThrow(/terraform CLI not found .*"\/nonexistent\/terraform".*Install it .* or set TERRAFORM_BIN=\/path\/to\/terraform/);
  });

  it("fails with the fix when terraform is older than the 1.11 the examples need", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "old-terraform-"));
    const bin = path.join(dir, "terraform");
    fs.writeFileSync(bin, `#!/bin/sh\necho '{"terraform_version":"1.10.5"}'\n`, { mode: 0o755 });
    expect(() => locateTerraform({ ...process.env, TERRAFORM_BIN: bin })).toThrow(/terraform 1\.10\.5 .* is too old: the examples need Terraform >= 1\.11 \(write-only attributes/);
    fs.writeFileSync(bin, `#!/bin/sh\necho '{"terraform_version":"1.11.0"}'\n`, { mode: 0o755 });
    expect(locateTerraform({ ...process.env, TERRAFORM_BIN: bin }).version).toBe("1.11.0");
  });

  it("fails with the fix when the configured mirror lacks hashicorp/aws 5.100.0", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "empty-mirror-"));
    expect(() => locateProviderMirror({ TF_PLUGIN_MIRROR: empty })).toThrow(/TF_PLUGIN_MIRROR=.* holds no hashicorp\/aws 5\.100\.0 .*terraform providers mirror .*TF_PLUGIN_MIRROR=network/);
  });

  it("finds this machine's mirror, and lets TF_PLUGIN_MIRROR=network fall back to the registry", () => {
    expect(fs.existsSync(path.join(locateProviderMirror({}) as string, "registry.terraform.io/hashicorp/aws/5.100.0"))).toBe(true);
    expect(locateProviderMirror({ TF_PLUGIN_MIRROR: "network" })).toBe("network");
  });

  it("accepts the packed layout that `terraform providers mirror` writes, without using it as a plugin cache", () => {
    const packed = fs.mkdtempSync(path.join(os.tmpdir(), "packed-mirror-"));
    const dir = path.join(packed, "registry.terraform.io/hashicorp/aws");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `terraform-provider-aws_5.100.0_${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}.zip`), "");
    expect(awsProviderLayout(packed)).toBe("packed");
    expect(locateProviderMirror({ TF_PLUGIN_MIRROR: packed })).toBe(packed);
    const cli = fs.readFileSync(writeCliConfig(fs.mkdtempSync(path.join(os.tmpdir(), "cli-")), packed), "utf8");
    expect(cli).toContain("filesystem_mirror");
    expect(cli).not.toContain("plugin_cache_dir");
  });

  it("writes a CLI config that installs from the mirror and links it through the plugin cache", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
    const mirror = locateProviderMirror({}) as string;
    const body = fs.readFileSync(writeCliConfig(dir, mirror), "utf8");
    expect(body).toContain(`filesystem_mirror {\n    path = "${mirror}"`);
    expect(body).toContain(`plugin_cache_dir = "${mirror}"`);
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
      if (!awsRefersToKubernetes) new AwsProvider(stack, "aws-west", { region: "us-west-2", alias: "west" });
      new KubernetesProvider(stack, "kubernetes", { host: "https://example.invalid" });
      new HelmProvider(stack, "helm", { kubernetes: { host: "https://example.invalid" } });
      const ns = new NamespaceV1(stack, "ns", { metadata: { name: "models" } });
      new Release(stack, "release", { name: "x", chart: "x", namespace: ns.metadata.name });
      new SecurityGroup(stack, "sg", { name: "endpoint", description: awsRefersToKubernetes ? ns.metadata.name : "plain", vpcId: "vpc-0123456789abcdef0" });
    }).stacks[0];
  }

  it("validates only the AWS part of a stack that also uses the kubernetes and helm providers; two aws blocks start their own provider", async () => {
    const stack = mixedStack(false);
    expect(stack.awsOnly).toBe(false);
    const cut = awsPartOf(stack.json);
    expect(cut.dropped).toEqual(["helm_release", "kubernetes_namespace_v1"]);
    expect(Object.keys(cut.json.provider)).toEqual(["aws"]);
    expect(Object.keys(cut.json.terraform.required_providers)).toEqual(["aws"]);
    const check = await tf.check(stack);
    expect(check.mode).toBe("validate-aws-part");
    expect(check.validate.valid).toBe(true);
    // The aliased block would reconfigure a shared process under the other one (terraform.ts SharedProvider).
    expect(check.runs.map((r) => [r.args[0], r.provider])).toEqual([
      ["init", "own"],
      ["validate", "own"],
    ]);
  });

  it("drops only the depends_on entries that name a cut resource (ordering, not data)", () => {
    const json = {
      provider: { aws: [{ region: "us-east-1" }], kubernetes: [{}] },
      resource: { kubernetes_ingress_v1: { ing: {} }, aws_sns_topic: { t: { name: "t" } } },
      data: { aws_lb: { alb: { tags: { a: "b" }, depends_on: ["kubernetes_ingress_v1.ing", "aws_sns_topic.t"] } } },
    };
    const cut = awsPartOf(json);
    expect(cut.json.data.aws_lb.alb.depends_on).toEqual(["aws_sns_topic.t"]);
    expect(json.data.aws_lb.alb.depends_on).toHaveLength(2);
  });

  it("fails validation when an AWS resource refers to a kubernetes resource (the cut must stay clean)", async () => {
    await expect(tf.check(mixedStack(true))).rejects.toThrow(/Reference to undeclared resource/);
  });

  function probeNetwork(availabilityZoneCount: number) {
    return synthApp((app) => {
      const stack = new TerraformStack(app, `net${availabilityZoneCount}`);
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      const logsKey = new EncryptionKey(stack, "logs", { purpose: "logs" });
      new ClusterNetwork(stack, "net", { name: "probe", logsKey, availabilityZoneCount, interfaceEndpoints: [] });
    }).stacks[0];
  }

  // The network's check through the session's running provider, shared by the tests that read it.
  let network: Promise<StackCheck> | undefined;
  const networkCheck = () => (network ??= tf.check(probeNetwork(3)));

  it("answers the availability-zone read from the loopback stand-in, and the network skips the zone EKS does not support", async () => {
    const check = await networkCheck();
    expect(tf.standIn.requests.map((r) => r.action)).toEqual(expect.arrayContaining(["DescribeAvailabilityZones", "GetCallerIdentity"]));
    // The stand-in's us-east-1c is use1-az3, where EKS places no control plane.
    const zones = plannedResources(check.plan!, "aws_subnet").map((s) => s.values.availability_zone);
    expect([...new Set(zones)].sort()).toEqual(["us-east-1a", "us-east-1b", "us-east-1d"]);
  });

  it("attaches a one-provider stack's validate, plan and show to the session's running provider, which plans exactly as Terraform's own start", async () => {
    const shared = await networkCheck();
    // The init attaches too when an earlier check of the session started the provider (it installs the binary otherwise).
    expect(shared.runs.slice(1).map((r) => [r.args[0], r.provider])).toEqual([
      ["validate", "shared"],
      ["plan", "shared"],
      ["show", "shared"],
    ]);
    const own = await tf.check(probeNetwork(3), { share: false });
    expect(own.runs.every((r) => r.provider === "own")).toBe(true);
    const init = await tf.cli.run(own.dir, ["init", "-input=false", "-no-color"], { shareProvider: true });
    // Terraform lists relevant_attributes in map order, which differs between any two runs.
    const comparable = (plan: object) => {
      const { timestamp: _t, relevant_attributes: attrs = [], ...rest } = plan as { timestamp: string; relevant_attributes?: object[] };
      return { ...rest, relevant_attributes: attrs.map((a) => JSON.stringify(a)).sort() };
    };
    expect(plannedResources(shared.plan!, "aws_subnet").length).toBeGreaterThan(0);
    expect(comparable(shared.plan!)).toEqual(comparable(own.plan!));
    expect(init.provider).toBe("shared");
  });

  it("gives the running provider to one command at a time (the other starts its own), and to none with TF_HARNESS_SHARED_PROVIDER=0", async () => {
    const { dir } = await networkCheck();
    // `terraform version` loads no provider: this exercises only who gets the process.
    const together = await Promise.all([0, 1].map(() => tf.cli.run(dir, ["version"], { shareProvider: true })));
    expect(together.map((r) => r.provider).sort()).toEqual(["own", "shared"]);
    expect((await tf.cli.run(dir, ["version"], { shareProvider: true })).provider).toBe("shared");
    process.env[SHARED_PROVIDER_ENV] = "0";
    try {
      expect((await tf.cli.run(dir, ["version"], { shareProvider: true })).provider).toBe("own");
    } finally {
      delete process.env[SHARED_PROVIDER_ENV];
    }
  });

  it("fails the plan with the fix when the region has fewer usable zones than availabilityZoneCount", async () => {
    await expect(tf.check(probeNetwork(4))).rejects.toThrow(/Resource precondition failed[\s\S]*availabilityZoneCount is 4 but the region offers fewer zones that EKS\s+supports/);
  });

  // One plan, two reads that must both fail offline (terraform reports every failed read of a plan): saves a provider start.
  it("refuses any call to a service not routed to the stand-in (the dead proxy), and fails a read the stand-in does not serve, instead of reaching the internet", async () => {
    const { stacks } = synthApp((app) => {
      const stack = new TerraformStack(app, "lookups");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      new DataAwsRoute53Zone(stack, "zone", { name: "example.com" });
      new DataAwsVpc(stack, "vpc", { default: true });
    });
    const failure = await tf.check(stacks[0]).then(
      () => "planned",
      (e: Error) => e.message,
    );
    expect(failure).toMatch(/127\.0\.0\.1:9|proxyconnect/);
    expect(failure).toMatch(/OfflinePlanUnsupported|does not answer DescribeVpcs/);
    expect(tf.standIn.requests.some((r) => /route53/i.test(r.action))).toBe(false);
  });
});

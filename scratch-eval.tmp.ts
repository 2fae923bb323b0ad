import * as fs from "fs"; import * as os from "os"; import * as path from "path";
import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { buildReferencePlatform } from "./examples/reference-platform/main";
import { stackViewOf } from "./lib/compliance/private/stack-view";
import { ruleById } from "./lib/compliance/rules";
import { GithubDeployRole } from "./lib/security/github-deploy-role";
import { StateBackend } from "./lib/security/state-backend";
const ids = process.argv.slice(2);
const stacks: TerraformStack[] = [];
const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "ref-")) });
const r = buildReferencePlatform(app, { compliance: false });
stacks.push(r.bootstrap, r.platform, r.addons, r.serving);
const s = new TerraformStack(Testing.app(), "defaults"); new AwsProvider(s, "aws", { region: "us-east-1" });
const state = new StateBackend(s, "state", { bucketName: "ml-prod-terraform-state-123456789012", region: "us-east-1" });
const deploy = new GithubDeployRole(s, "deploy", { repository: "org/repo", branches: ["main"], resourceNamePrefix: "ml-prod", additionalStatements: [...state.accessPolicyDocument(["platform.tfstate"]).statements] });
new GithubDeployRole(s, "plan", { repository: "org/repo", pullRequests: true, readOnly: true, oidcProviderArn: deploy.oidcProviderArn, resourceNamePrefix: "ml-prod", additionalStatements: [...state.accessPolicyDocument(["platform.tfstate"], { readOnly: true }).statements] });
stacks.push(s);
for (const st of stacks) {
  const view = stackViewOf(st.node.id, JSON.parse(Testing.synth(st)));
  for (const id of ids) { const rule = ruleById(id)!;
    for (const res of view.resources) {
      const ok = res.mode === "managed" ? rule.resourceTypes.includes(res.type) : (rule.dataSourceTypes ?? []).includes(res.type);
      if (!ok) continue;
      const o = rule.evaluate({ resource: res, stack: view, params: { ...rule.params } });
      if (o.status !== "not-applicable") console.log(o.status, `${st.node.id} ${id} ${res.path}: ${o.message?.slice(0, 400)}`);
    }
  }
}

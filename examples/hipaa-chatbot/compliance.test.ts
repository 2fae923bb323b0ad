/**
 * Compliance tests of the HIPAA chatbot: the file a platform team keeps next to its app, so that
 * `npm test` fails before a change that breaks HIPAA or SOC 2 is ever planned.
 *
 * In your own project the imports are:
 *   import { Compliance } from "cdktf-secure-inference";
 *   import { complianceSummary } from "cdktf-secure-inference/testing";
 */
import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Compliance } from "../../lib";
// Importing the testing module also registers the `toBeCompliantWith` matcher with jest.
import { complianceSummary } from "../../lib/testing";
import { buildHipaaChatbot } from "./main";

describe("hipaa-chatbot compliance", () => {
  // Build the app exactly as `cdktf synth` does; Testing.app() writes into a temporary folder.
  const { bootstrap, platform, addons, serving } = buildHipaaChatbot(Testing.app());
  const stacks = { bootstrap, platform, addons, serving };

  // One test per stack: no unsuppressed finding, error or warning, under either pack.
  it.each(Object.entries(stacks))("stack %s complies with HIPAA and SOC 2", (_name, stack) => {
    expect(stack).toBeCompliantWith(Compliance.HIPAA, Compliance.SOC2);
  });

  // The summary lists, per pack and rule, the result, how many resources evidence it and every
  // suppression with its reason. A pull request that changes a guarantee (a rule no longer evidenced,
  // a new suppression) changes the snapshot, so a reviewer sees it: accept it with `jest -u` only on purpose.
  it.each(Object.entries(stacks))("stack %s keeps its compliance summary", (_name, stack) => {
    expect(complianceSummary(stack, Compliance.HIPAA, Compliance.SOC2)).toMatchSnapshot();
  });

  // The guard itself: a hand-written resource that breaks the rules makes the matcher fail.
  it("catches a non-compliant resource added by hand", () => {
    const app = Testing.app();
    const chatbot = buildHipaaChatbot(app);
    new S3Bucket(chatbot.platform, "transcripts", { bucket: "hipaa-chatbot-transcripts" }); // no KMS, no logging, no versioning
    expect(chatbot.platform).not.toBeCompliantWith(Compliance.HIPAA, Compliance.SOC2);
    expect(complianceSummary(chatbot.platform, Compliance.HIPAA).passed).toBe(false);
  });
});

/**
 * A loopback stand-in for the few read-only AWS calls a plan cannot avoid: STS
 * GetCallerIdentity (aws_caller_identity) and EC2 DescribeAvailabilityZones
 * (aws_availability_zones). Anything else is answered with an error naming the call, so a new
 * data source shows up as a clear failure rather than a request to the internet.
 */
import * as http from "http";
import { AddressInfo } from "net";

/** Account the stand-in reports; plans show it in every ARN. */
export const FAKE_ACCOUNT_ID = "123456789012";

/** A request the stand-in answered. */
export interface StandInRequest {
  readonly action: string;
  readonly host: string;
}

/** A running stand-in. */
export interface AwsStandIn {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Every request answered so far. */
  readonly requests: StandInRequest[];
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Four zones per region, "<region>a" to "<region>d", with zone ids "<abbr>-az1" to "-az4"
 * (us-east-1 -> use1). In us-east-1, zone c carries use1-az3, where EKS places no control plane.
 */
function zonesFor(region: string): Array<{ name: string; id: string }> {
  const [geo, dir, num] = region.split("-");
  const abbr = `${geo}${(dir ?? "")[0] ?? ""}${num ?? ""}`;
  return ["a", "b", "c", "d"].map((s, i) => ({ name: `${region}${s}`, id: `${abbr}-az${i + 1}` }));
}

/** The partition of a region, as STS would report it in ARNs. */
function partitionOf(region: string): string {
  return region.startsWith("us-gov-") ? "aws-us-gov" : region.startsWith("cn-") ? "aws-cn" : "aws";
}

function respond(action: string, params: URLSearchParams, region: string): { status: number; body: string } {
  if (action === "GetCallerIdentity") {
    return {
      status: 200,
      body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:${partitionOf(region)}:iam::${FAKE_ACCOUNT_ID}:user/offline-plan</Arn><UserId>AIDAOFFLINEPLAN00000</UserId><Account>${FAKE_ACCOUNT_ID}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
  }
  if (action === "DescribeAvailabilityZones") {
    const items = zonesFor(region)
      .map((z) => `<item><zoneName>${z.name}</zoneName><zoneId>${z.id}</zoneId><zoneState>available</zoneState><regionName>${region}</regionName><optInStatus>opt-in-not-required</optInStatus><zoneType>availability-zone</zoneType><groupName>${region}</groupName><networkBorderGroup>${region}</networkBorderGroup><messages/></item>`)
      .join("");
    return { status: 200, body: `<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>00000000-0000-0000-0000-000000000000</requestId><availabilityZoneInfo>${items}</availabilityZoneInfo></DescribeAvailabilityZonesResponse>` };
  }
  const message = `The offline test stand-in does not answer ${action}; avoid this read-only call in the stack or teach test/harness/aws-stand-in.ts to answer it.`;
  // EC2 speaks its own error dialect; the other query APIs (STS, IAM, ...) share ErrorResponse.
  if (params.get("Version") === "2016-11-15") {
    return { status: 400, body: `<Response><Errors><Error><Code>OfflinePlanUnsupported</Code><Message>${message}</Message></Error></Errors><RequestID>0</RequestID></Response>` };
  }
  return { status: 400, body: `<ErrorResponse><Error><Type>Sender</Type><Code>OfflinePlanUnsupported</Code><Message>${message}</Message></Error><RequestId>0</RequestId></ErrorResponse>` };
}

/** Region of a SigV4-signed request, from its credential scope (…/<date>/<region>/<service>/aws4_request). */
function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? "")?.[1];
}

/** Starts the stand-in on an ephemeral loopback port; `region` is the fallback for unsigned requests. */
export async function startAwsStandIn(region = "us-east-1"): Promise<AwsStandIn> {
  const requests: StandInRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const params = new URLSearchParams(body || (req.url ?? "").split("?")[1] || "");
      const action = params.get("Action") ?? `${req.method} ${req.url}`;
      requests.push({ action, host: req.headers.host ?? "" });
      const { status, body: xml } = respond(action, params, signedRegion(req.headers.authorization) ?? region);
      res.writeHead(status, { "content-type": "text/xml" });
      res.end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

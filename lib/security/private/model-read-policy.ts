import { PolicyDocument } from "../policy-document";

/**
 * Read-only access to one prefix of a model bucket: GetObject under the prefix, ListBucket limited
 * to it, and Decrypt with the storage key only through S3 of the bucket's region. `s3Host` is
 * "s3.<region>.<dns suffix>" (the kms:ViaService value).
 */
export function modelReadPolicy(bucketArn: string, storageKeyArn: string, prefix: string, s3Host: string): PolicyDocument {
  return new PolicyDocument([
    { sid: "ReadModelObjects", actions: ["s3:GetObject"], resources: [`${bucketArn}/${prefix}*`] },
    {
      sid: "ListModelPrefix",
      actions: ["s3:ListBucket"],
      resources: [bucketArn],
      ...(prefix ? { conditions: { StringLike: { "s3:prefix": [`${prefix}*`] } } } : {}),
    },
    { sid: "DecryptThroughS3", actions: ["kms:Decrypt"], resources: [storageKeyArn], conditions: { StringEquals: { "kms:ViaService": s3Host } } },
  ]);
}

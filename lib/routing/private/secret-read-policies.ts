/*
 * The router's read access to its own secrets: GetSecretValue on named secrets only, and kms:Decrypt
 * on the router's key only as Secrets Manager does it for those secrets.
 */
import { Construct } from "constructs";
import { awsContext } from "../../private/aws-context";
import { PolicyDocument } from "../../security/policy-document";

/**
 * The `kms:ViaService` value of Secrets Manager in `region`: `secretsmanager.<region>.<dns suffix>`,
 * with the partition's DNS suffix (amazonaws.com.cn in China), as the database's admin secret has it.
 */
export function secretsManagerViaService(scope: Construct, region: string): string {
  return `secretsmanager.${region}.${awsContext(scope).dnsSuffix}`;
}

/** GetSecretValue on the master key only; kms:Decrypt only as Secrets Manager does it for that secret. */
export function masterKeyReadPolicy(secretArn: string, keyArn: string, viaService: string): PolicyDocument {
  return new PolicyDocument([
    { sid: "ReadMasterKey", actions: ["secretsmanager:GetSecretValue"], resources: [secretArn] },
    {
      sid: "DecryptMasterKeyThroughSecretsManager",
      actions: ["kms:Decrypt"],
      resources: [keyArn],
      conditions: {
        StringEquals: {
          "kms:ViaService": viaService,
          // Secrets Manager's encryption context names the secret.
          "kms:EncryptionContext:SecretARN": secretArn,
        },
      },
    },
  ]);
}

/** GetSecretValue on the teams' keys only; kms:Decrypt only as Secrets Manager does it for them. */
export function teamKeysReadPolicy(secretArns: string[], keyArn: string, viaService: string): PolicyDocument {
  return new PolicyDocument([
    { sid: "ReadTeamKeys", actions: ["secretsmanager:GetSecretValue"], resources: secretArns },
    {
      sid: "DecryptTeamKeysThroughSecretsManager",
      actions: ["kms:Decrypt"],
      resources: [keyArn],
      conditions: { StringEquals: { "kms:ViaService": viaService, "kms:EncryptionContext:SecretARN": secretArns } },
    },
  ]);
}

import { ComplianceRule, Outcome, RuleOutcome } from "../rule-model";
import { unrestrictedActionsOf } from "../private/policy";
import { isBoundaryOnlyPolicy } from "../private/boundary";
import { IDENTITY_POLICY_DATA_TYPES, IDENTITY_POLICY_TYPES, heldOnlyByBoundedRoles, identityPoliciesOf, judgeIdentityPolicies } from "../private/identity-policies";

/*
 * Rules over what identity policies allow on Resource "*", in the shape of checkov's cloudsplaining-based checks
 * (bridgecrewio/checkov@03d5fdad: checkov/terraform/checks/resource/aws/IAMPrivilegeEscalation.py (CKV_AWS_286),
 * IAMDataExfiltration.py (CKV_AWS_288), IAMCredentialsExposure.py (CKV_AWS_287), over
 * checkov/terraform/checks/resource/base_cloudsplaining_resource_iam_check.py). checkov keeps no action lists of its own: it
 * calls cloudsplaining's PolicyDocument, pinned at "cloudsplaining<0.8.0,>=0.7.0" (setup.py at that commit). The lists below
 * are copied from salesforce/cloudsplaining tag 0.7.0 (d365bda7): cloudsplaining/shared/constants.py
 * (PRIVILEGE_ESCALATION_METHODS, READ_ONLY_DATA_EXFILTRATION_ACTIONS, ACTIONS_THAT_RETURN_CREDENTIALS). cloudsplaining HEAD
 * (0.9.x) has since added pathfinding.cloud paths and dropped sts:AssumeRole from the AttachRolePolicy/PutRolePolicy methods;
 * those are not checkov's at the commit read.
 *
 * As in cloudsplaining, an action counts when an Allow statement grants it (by pattern, e.g. "iam:*", or through NotAction)
 * on Resource "*"; resource-scoped grants are never findings. Deliberately stricter than cloudsplaining 0.7.0, whose
 * all_allowed_unrestricted_actions skips statements with any Condition and subtracts every action a Deny statement names:
 * here a condition does not exempt the grant and a Deny does not offset it, since neither need confine it (a Condition on
 * aws:RequestedRegion still grants the action on every resource of that region).
 *
 * IAM Identity Center permission set inline policies and data.aws_iam_policy_document sources are judged as checkov's
 * resource and data checks judge them (CKV_AWS_107, 108, 110), see private/identity-policies.ts.
 */

/** cloudsplaining 0.7.0 PRIVILEGE_ESCALATION_METHODS: each method and the actions (lower case) that together allow it. */
export const PRIVILEGE_ESCALATION_METHODS: Readonly<Record<string, readonly string[]>> = {
  // 1. IAM permissions on other users
  CreateAccessKey: ["iam:createaccesskey"],
  CreateLoginProfile: ["iam:createloginprofile"],
  UpdateLoginProfile: ["iam:updateloginprofile"],
  AddUserToGroup: ["iam:addusertogroup"],
  // 2. Permissions on policies
  CreateNewPolicyVersion: ["iam:createpolicyversion"],
  SetExistingDefaultPolicyVersion: ["iam:setdefaultpolicyversion"],
  AttachUserPolicy: ["iam:attachuserpolicy"],
  AttachGroupPolicy: ["iam:attachgrouppolicy"],
  AttachRolePolicy: ["iam:attachrolepolicy", "sts:assumerole"],
  PutUserPolicy: ["iam:putuserpolicy"],
  PutGroupPolicy: ["iam:putgrouppolicy"],
  PutRolePolicy: ["iam:putrolepolicy", "sts:assumerole"],
  // 3. Updating an AssumeRolePolicy
  UpdateRolePolicyToAssumeIt: ["iam:updateassumerolepolicy", "sts:assumerole"],
  // 4. iam:PassRole to a new compute resource
  CreateEC2WithExistingIP: ["iam:passrole", "ec2:runinstances"],
  PassExistingRoleToNewLambdaThenInvoke: ["iam:passrole", "lambda:createfunction", "lambda:invokefunction"],
  PassExistingRoleToNewLambdaThenTriggerWithNewDynamo: ["iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping", "dynamodb:createtable", "dynamodb:putitem"],
  PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo: ["iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping"],
  PassExistingRoleToNewGlueDevEndpoint: ["iam:passrole", "glue:createdevendpoint"],
  PassExistingRoleToCloudFormation: ["iam:passrole", "cloudformation:createstack"],
  PassExistingRoleToNewDataPipeline: ["iam:passrole", "datapipeline:createpipeline"],
  // 5. Privilege escalation using AWS services
  UpdateExistingGlueDevEndpoint: ["glue:updatedevendpoint"],
  EditExistingLambdaFunctionWithRole: ["lambda:updatefunctioncode"],
};

/** cloudsplaining 0.7.0 READ_ONLY_DATA_EXFILTRATION_ACTIONS, lower case. */
export const DATA_EXFILTRATION_ACTIONS: readonly string[] = ["s3:getobject", "ssm:getparameter", "ssm:getparameters", "ssm:getparametersbypath", "secretsmanager:getsecretvalue"];

/** cloudsplaining 0.7.0 ACTIONS_THAT_RETURN_CREDENTIALS (its own spelling, "gamelist:" included), less checkov's excluded ecr:GetAuthorizationToken. */
export const CREDENTIALS_EXPOSURE_ACTIONS: readonly string[] = [
  "airflow:createclitoken", "airflow:createweblogintoken", "appsync:createapikey", "chime:createapikey", "cloud9:createenvironmenttoken",
  "codeartifact:getauthorizationtoken", "codepipeline:pollforjobs", "cognito-identity:getopenidtoken",
  "cognito-identity:getopenidtokenfordeveloperidentity", "cognito-identity:getcredentialsforidentity", "cognito-idp:getsigningcertificate",
  "connect:getfederationtoken", "connect:getfederationtokens", "ec2:getpassworddata", "ecr-public:getauthorizationtoken",
  "emr-containers:getmanagedendpointsessioncredentials", "finspace-api:getprogrammaticaccesscredentials", "gamelift:requestuploadcredentials",
  "gamelift:getinstanceaccess", "gamelist:getcomputeaccess", "gamelist:getcomputeauthtoken", "grafana:createworkspaceapikey",
  "iam:createaccesskey", "iam:createloginprofile", "iam:createservicespecificcredential", "iam:resetservicespecificcredential",
  "iam:updateaccesskey", "license-manager:getaccesstoken", "lightsail:getinstanceaccessdetails", "lightsail:downloaddefaultkeypair",
  "lightsail:createbucketaccesskey", "lightsail:getrelationaldatabasemasteruserpassword", "mediapackage:rotatechannelcredentials",
  "mediapackage:rotateingestendpointcredentials", "rds-db:connect", "redshift:getclustercredentials", "redshift:getclustercredentialswithiam",
  "redshift-serverless:getcredentials", "sso:getrolecredentials", "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
  "sts:getfederationtoken", "sts:getsessiontoken",
];

const list = (actions: readonly string[]): string => actions.map((a) => `"${a}"`).join(", ");

/** No identity policy lets its holder grant itself more. */
export const IamNoPrivilegeEscalation = {
  id: "IamNoPrivilegeEscalation",
  description: "No identity policy allows, on Resource \"*\", a combination of actions that escalates privileges (cloudsplaining's Rhino Security Labs methods), unless only permission-bounded roles hold it.",
  explanation:
    "Actions such as iam:CreatePolicyVersion, iam:AttachRolePolicy with sts:AssumeRole, or iam:PassRole with ec2:RunInstances or " +
    "lambda:CreateFunction let a principal obtain permissions beyond its own policy, up to administrator: whoever steals a deploy " +
    "pipeline's or a pod's credentials owns the account. Scope these actions to named resources. A role with a permissions_boundary " +
    "is treated as bounded (the boundary caps what the role, and roles it creates under a boundary condition, can do): a policy held " +
    "only by such roles of this stack passes, and the boundary itself must then deny the escalation paths.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  dataSourceTypes: IDENTITY_POLICY_DATA_TYPES,
  checkov: ["CKV_AWS_286", "CKV_AWS_110"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (heldOnlyByBoundedRoles(resource, stack)) return identityPoliciesOf(resource).length ? Outcome.compliant() : Outcome.notApplicable();
    return judgeIdentityPolicies(resource, stack, (statements) => {
      const all = [...new Set(Object.values(PRIVILEGE_ESCALATION_METHODS).flat())];
      const granted = new Set(unrestrictedActionsOf(statements, all));
      const methods = Object.entries(PRIVILEGE_ESCALATION_METHODS).filter(([, actions]) => actions.every((a) => granted.has(a)));
      if (methods.length === 0) return undefined;
      return `allows privilege escalation on Resource "*": ${methods.map(([m, a]) => `${m} (${list(a)})`).join("; ")}; ` +
        "scope these actions to the resources the principal manages (e.g. iam:PassRole to named role ARNs with an iam:PassedToService condition), or hold the policy only in roles with a permissions_boundary";
    });
  },
} as const satisfies ComplianceRule;

/** No identity policy reads every object, parameter or secret. */
export const IamNoDataExfiltration = {
  id: "IamNoDataExfiltration",
  description: "No identity policy allows s3:GetObject, ssm:GetParameter(s/ByPath) or secretsmanager:GetSecretValue on Resource \"*\".",
  explanation:
    "These read actions on every resource let one principal copy every object (model weights, datasets, prompts and completions) and " +
    "every secret in the account; unrestricted s3:GetObject is behind many data leaks. Scope them to the buckets, parameter paths and " +
    "secrets the principal needs.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  dataSourceTypes: IDENTITY_POLICY_DATA_TYPES,
  checkov: ["CKV_AWS_288", "CKV_AWS_108"],
  evaluate: ({ resource, stack }): RuleOutcome =>
    isBoundaryOnlyPolicy(resource, stack) ? Outcome.notApplicable() : judgeIdentityPolicies(resource, stack, (statements) => {
      const found = unrestrictedActionsOf(statements, DATA_EXFILTRATION_ACTIONS);
      return found.length ? `allows ${list(found)} on Resource "*", which reads every object, parameter or secret of the account; scope them to the bucket, parameter-path or secret ARNs needed` : undefined;
    }),
} as const satisfies ComplianceRule;

/** No identity policy returns credentials for any resource. */
export const IamNoCredentialsExposure = {
  id: "IamNoCredentialsExposure",
  description: "No identity policy allows, on Resource \"*\", actions whose responses carry credentials (iam:CreateAccessKey, sts:AssumeRole, rds-db:connect ...).",
  explanation:
    "These actions return access keys, session tokens or passwords. Granted on every resource, they let a principal mint credentials " +
    "for any user, assume any role that trusts its account, or log in to any database; scope them to the named users, roles and " +
    "database users. ecr:GetAuthorizationToken, which takes no resource, is excluded as checkov excludes it.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  dataSourceTypes: IDENTITY_POLICY_DATA_TYPES,
  checkov: ["CKV_AWS_287", "CKV_AWS_107"],
  evaluate: ({ resource, stack }): RuleOutcome =>
    isBoundaryOnlyPolicy(resource, stack) ? Outcome.notApplicable() : judgeIdentityPolicies(resource, stack, (statements) => {
      const found = unrestrictedActionsOf(statements, CREDENTIALS_EXPOSURE_ACTIONS);
      return found.length ? `allows ${list(found)} on Resource "*", returning credentials for any user, role or database; scope them to the ARNs needed` : undefined;
    }),
} as const satisfies ComplianceRule;

/** Rules over privilege escalation, exfiltration and credential exposure in identity policies. */
export const IAM_ESCALATION_RULES = [IamNoPrivilegeEscalation, IamNoDataExfiltration, IamNoCredentialsExposure] as const satisfies readonly ComplianceRule[];

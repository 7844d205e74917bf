import Crypto
import Foundation

/// A few of AWS's managed policies, built in with AWS's documents (their default versions as AWS's managed policy
/// reference shows them), so roles and users can be given the policies AWS's guides name. They are in every
/// snapshot, attachable, readable (GetPolicy, GetPolicyVersion, ListPolicies with `Scope=AWS`) and not changeable.
public enum AWSManagedPolicies {
    public static let all: [ManagedPolicy] = [
        make("AdministratorAccess", path: "/", created: "2015-02-06T18:39:46Z", version: "v1", updated: "2015-02-06T18:39:46Z",
             description: "Provides full access to AWS services and resources.", document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : "*",
                  "Resource" : "*"
                }
              ]
            }
            """),
        make("PowerUserAccess", path: "/", created: "2015-02-06T18:39:47Z", version: "v12", updated: "2026-02-12T17:59:00Z",
             description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
             document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "NotAction" : [
                    "iam:*",
                    "organizations:*",
                    "account:*"
                  ],
                  "Resource" : "*"
                },
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "account:GetAccountInformation",
                    "account:GetGovCloudAccountInformation",
                    "account:GetPrimaryEmail",
                    "account:ListRegions",
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeEffectivePolicy",
                    "organizations:DescribeOrganization"
                  ],
                  "Resource" : "*"
                }
              ]
            }
            """),
        make("IAMFullAccess", path: "/", created: "2015-02-06T18:40:38Z", version: "v2", updated: "2019-06-21T19:40:00Z",
             description: "Provides full access to IAM via the AWS Management Console.", document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "iam:*",
                    "organizations:DescribeAccount",
                    "organizations:DescribeOrganization",
                    "organizations:DescribeOrganizationalUnit",
                    "organizations:DescribePolicy",
                    "organizations:ListChildren",
                    "organizations:ListParents",
                    "organizations:ListPoliciesForTarget",
                    "organizations:ListRoots",
                    "organizations:ListPolicies",
                    "organizations:ListTargetsForPolicy"
                  ],
                  "Resource" : "*"
                }
              ]
            }
            """),
        make("AWSLambda_FullAccess", path: "/", created: "2020-11-17T21:14:00Z", version: "v2", updated: "2025-03-17T21:37:00Z",
             description: "Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
             document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "cloudformation:DescribeStacks",
                    "cloudformation:ListStackResources",
                    "cloudwatch:ListMetrics",
                    "cloudwatch:GetMetricData",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                    "kms:ListAliases",
                    "iam:GetPolicy",
                    "iam:GetPolicyVersion",
                    "iam:GetRole",
                    "iam:GetRolePolicy",
                    "iam:ListAttachedRolePolicies",
                    "iam:ListRolePolicies",
                    "iam:ListRoles",
                    "lambda:*",
                    "logs:DescribeLogGroups",
                    "states:DescribeStateMachine",
                    "states:ListStateMachines",
                    "tag:GetResources",
                    "xray:GetTraceSummaries",
                    "xray:BatchGetTraces"
                  ],
                  "Resource" : "*"
                },
                {
                  "Effect" : "Allow",
                  "Action" : "iam:PassRole",
                  "Resource" : "*",
                  "Condition" : {
                    "StringEquals" : {
                      "iam:PassedToService" : "lambda.amazonaws.com"
                    }
                  }
                },
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "logs:DescribeLogStreams",
                    "logs:GetLogEvents",
                    "logs:FilterLogEvents",
                    "logs:StartLiveTail",
                    "logs:StopLiveTail"
                  ],
                  "Resource" : "arn:aws:logs:*:*:log-group:/aws/lambda/*"
                }
              ]
            }
            """),
        make("AWSLambdaBasicExecutionRole", path: "/service-role/", created: "2015-04-09T15:03:43Z", version: "v1",
             updated: "2015-04-09T15:03:43Z", description: "Provides write permissions to CloudWatch Logs.", document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents"
                  ],
                  "Resource" : "*"
                }
              ]
            }
            """),
        make("AWSLambdaSQSQueueExecutionRole", path: "/service-role/", created: "2018-06-14T21:50:45Z", version: "v1",
             updated: "2018-06-14T21:50:45Z",
             description: "Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.",
             document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents"
                  ],
                  "Resource" : "*"
                }
              ]
            }
            """),
        make("AWSLambdaRole", path: "/service-role/", created: "2015-02-06T18:41:28Z", version: "v1", updated: "2015-02-06T18:41:28Z",
             description: "Default policy for AWS Lambda service role.", document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "lambda:InvokeFunction"
                  ],
                  "Resource" : [
                    "*"
                  ]
                }
              ]
            }
            """),
        make("AmazonSQSFullAccess", path: "/", created: "2015-02-06T18:41:07Z", version: "v2", updated: "2024-05-24T18:16:00Z",
             description: "Provides full access to Amazon SQS via the AWS Management Console.", document: """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Sid" : "AmazonSQSFullAccess",
                  "Effect" : "Allow",
                  "Action" : [
                    "sqs:*"
                  ],
                  "Resource" : "*"
                }
              ]
            }
            """),
    ]

    /// By ARN.
    public static let byArn: [String: ManagedPolicy] = Dictionary(uniqueKeysWithValues: all.map { ($0.arn, $0) })

    static func make(_ name: String, path: String, created: String, version: String, updated: String, description: String,
                     document: String) -> ManagedPolicy {
        let createDate = ISO8601DateFormatter().date(from: created)!
        let updateDate = ISO8601DateFormatter().date(from: updated)!
        return ManagedPolicy(name: name, path: path, policyId: stableId(name), arn: "arn:aws:iam::aws:policy\(path)\(name)",
                             description: description, createDate: createDate, updateDate: updateDate, defaultVersionId: version,
                             versions: [PolicyVersion(versionId: version, document: document, createDate: updateDate)])
    }

    /// `ANPA` and 17 characters of [A-Z2-7] derived from the name, the same on every start.
    static func stableId(_ name: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let digest = Array(SHA256.hash(data: Array(name.utf8)))
        return "ANPA" + String(digest.prefix(17).map { alphabet[Int($0) % alphabet.count] })
    }
}

package policy

import (
	"errors"
	"testing"
)

// awsInvalid are the documents CreatePolicy refused on real AWS, each with
// AWS's message: LocalStack's TestPolicyDocumentValidity, inputs in
// tests/aws/services/iam/test_iam_policies.py (INVALID_POLICY_DOCUMENTS),
// answers in test_iam_policies.snapshot.json (recorded 2026-02-18). The
// name is the recorded case's id.
var awsInvalid = []struct{ name, doc, want string }{
	{"invalid-0", `This is not a json document`, "Syntax errors in policy."},
	{"invalid-1", `{"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy document must be version 2012-10-17 or greater."},
	{"invalid-2", `{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy document must be version 2012-10-17 or greater."},
	{"invalid-3", `{"Version": "2013-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-4", `{"Version": "2012-10-17"}`, "Syntax errors in policy."},
	{"invalid-5", `{"Version": "2012-10-17", "Statement": ["afd"]}`, "Syntax errors in policy."},
	{"invalid-6", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, "Extra field": "value"}`, "Syntax errors in policy."},
	{"invalid-7", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Extra field": "value"}}`, "Syntax errors in policy."},
	{"invalid-8", `{"Version": "2012-10-17", "Id": ["cd3a324d2343d942772346-34234234423404-4c2242343242349d1642ee"], "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-9", `{"Version": "2012-10-17", "Id": {}, "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-10", `{"Version": "2012-10-17", "Statement": {"Effect": "invalid", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-11", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "invalid", "Resource": "arn:aws:s3:::example_bucket"}}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
	{"invalid-12", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "", "Resource": "arn:aws:s3:::example_bucket"}}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
	{"invalid-13", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "a a:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Vendor a a is not valid"},
	{"invalid-14", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:List:Bucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Actions/Condition can contain only one colon."},
	{"invalid-15", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3s:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Effect": "Allow", "Action": "s:3s:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}]}`, "Actions/Condition can contain only one colon."},
	{"invalid-16", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "invalid resource"}}`, "Resource invalid resource must be in ARN format or \"*\"."},
	{"invalid-17", `{"Version": "2012-10-17", "Statement": [{"Sid": "EnableDisableHongKong", "Effect": "Allow", "Action": ["account:EnableRegion", "account:DisableRegion"], "Resource": "", "Condition": {"StringEquals": {"account:TargetRegion": "ap-east-1"}}}, {"Sid": "ViewConsole", "Effect": "Allow", "Action": ["aws-portal:ViewAccount", "account:ListRegions"], "Resource": ""}]}`, "Resource  must be in ARN format or \"*\"."},
	{"invalid-18", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s:3:ListBucket", "Resource": "sdfsadf"}}`, "Resource sdfsadf must be in ARN format or \"*\"."},
	{"invalid-19", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["adf"]}}`, "Resource adf must be in ARN format or \"*\"."},
	{"invalid-20", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ""}}`, "Resource  must be in ARN format or \"*\"."},
	{"invalid-21", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3s:ListBucket", "Resource": "a:bsdfdsafsad"}}`, "Partition \"bsdfdsafsad\" is not valid for resource \"arn:bsdfdsafsad:*:*:*:*\"."},
	{"invalid-22", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3s:ListBucket", "Resource": "a:b:cadfsdf"}}`, "Partition \"b\" is not valid for resource \"arn:b:cadfsdf:*:*:*\"."},
	{"invalid-23", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3s:ListBucket", "Resource": "a:b:c:d:e:f:g:h"}}`, "Partition \"b\" is not valid for resource \"arn:b:c:d:e:f:g:h\"."},
	{"invalid-24", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "aws:s3:::example_bucket"}}`, "Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\"."},
	{"invalid-25", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["arn:error:s3:::example_bucket", "arn:error:s3::example_bucket"]}}`, "Partition \"error\" is not valid for resource \"arn:error:s3:::example_bucket\"."},
	{"invalid-26", `{"Version": "2012-10-17", "Statement": []}`, "Syntax errors in policy."},
	{"invalid-27", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket"}}`, "Policy statement must contain resources."},
	{"invalid-28", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": []}}`, "Policy statement must contain resources."},
	{"invalid-29", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "invalid"}}`, "Policy statement must contain resources."},
	{"invalid-30", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy statement must contain actions."},
	{"invalid-31", `{"Version": "2012-10-17", "Statement": {"Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-32", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow"}}`, "Policy statement must contain actions."},
	{"invalid-33", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": [], "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy statement must contain actions."},
	{"invalid-34", `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny"}, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}]}`, "Policy statement must contain actions."},
	{"invalid-35", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:iam:::example_bucket"}}`, "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."},
	{"invalid-36", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3::example_bucket"}}`, "The policy failed legacy parsing"},
	{"invalid-37", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "arn:aws:s3::example_bucket"}}`, "The policy failed legacy parsing"},
	{"invalid-38", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws"}}`, "Resource vendor must be fully qualified and cannot contain regexes."},
	{"invalid-39", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"a": "arn:aws:s3:::example_bucket"}}}`, "Syntax errors in policy."},
	{"invalid-40", `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": ["adfdf", {}]}}`, "Syntax errors in policy."},
	{"invalid-41", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "NotResource": []}}`, "Syntax errors in policy."},
	{"invalid-42", `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": [[]], "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-43", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3s:ListBucket", "Action": [], "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-44", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": {}, "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-45", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": []}}`, "Syntax errors in policy."},
	{"invalid-46", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": "a"}}`, "Syntax errors in policy."},
	{"invalid-47", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"a": "b"}}}`, "Syntax errors in policy."},
	{"invalid-48", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": "b"}}}`, "Syntax errors in policy."},
	{"invalid-49", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": []}}}`, "Syntax errors in policy."},
	{"invalid-50", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": {}}}}}`, "Syntax errors in policy."},
	{"invalid-51", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": {}}}}}`, "Syntax errors in policy."},
	{"invalid-52", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"x": {"a": "1"}}}}`, "Syntax errors in policy."},
	{"invalid-53", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"ForAnyValue::StringEqualsIfExists": {"a": "asf"}}}}`, "Syntax errors in policy."},
	{"invalid-54", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": [{"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}}]}}`, "Syntax errors in policy."},
	{"invalid-55", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:iam:us-east-1::example_bucket"}}`, "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."},
	{"invalid-56", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:us-east-1::example_bucket"}}`, "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."},
	{"invalid-57", `{"Version": "2012-10-17", "Statement": {"Sid": {}, "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-58", `{"Version": "2012-10-17", "Statement": {"Sid": [], "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-59", `{"Version": "2012-10-17", "Statement": [{"Sid": "sdf", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Sid": "sdf", "Effect": "Allow"}]}`, "Statement IDs (SID) in a single policy must be unique."},
	{"invalid-60", `{"Statement": [{"Sid": "sdf", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Sid": "sdf", "Effect": "Allow"}]}`, "Policy document must be version 2012-10-17 or greater."},
	{"invalid-61", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3:ListBucket", "Action": "iam:dsf", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
	{"invalid-62", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "NotResource": "*"}}`, "Syntax errors in policy."},
	{"invalid-63", `{"Version": "2012-10-17", "Statement": {"Effect": "denY", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "The policy failed legacy parsing"},
	{"invalid-64", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}}`, "The policy failed legacy parsing"},
	{"invalid-65", `{"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}}`, "Policy document must be version 2012-10-17 or greater."},
	{"invalid-66", `{"Statement": {"Effect": "denY", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy document must be version 2012-10-17 or greater."},
	{"invalid-67", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}}`, "The policy failed legacy parsing"},
	{"invalid-68", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3:ListBucket", "Resource": "arn:aws::::example_bucket"}}`, "The policy failed legacy parsing"},
	{"invalid-69", `{"Version": "2012-10-17", "Statement": {"Effect": "allow", "Resource": "arn:aws:s3:us-east-1::example_bucket"}}`, "The policy failed legacy parsing"},
	{"invalid-70", `{"Version": "2012-10-17", "Statement": [{"Sid": "sdf", "Effect": "aLLow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Sid": "sdf", "Effect": "Allow"}]}`, "The policy failed legacy parsing"},
	{"invalid-71", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "NotResource": "arn:aws:s3::example_bucket"}}`, "The policy failed legacy parsing"},
	{"invalid-72", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThanEquals": {"a": "234-13"}}}}`, "The policy failed legacy parsing"},
	{"invalid-73", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThanEquals": {"a": "2016-12-13t2:00:00.593194+1"}}}}`, "The policy failed legacy parsing"},
	{"invalid-74", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThanEquals": {"a": "2016-12-13t2:00:00.1999999999+10:59"}}}}`, "The policy failed legacy parsing"},
	{"invalid-75", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThan": {"a": "9223372036854775808"}}}}`, "The policy failed legacy parsing"},
	{"invalid-76", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:error:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}}`, "The policy failed legacy parsing"},
	{"invalid-77", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws::fdsasf"}}`, "The policy failed legacy parsing"},
}

// awsValid are the documents the same suite recorded CreatePolicy accepting
// (2026-02-10).
var awsValid = []struct{ name, doc string }{
	{"valid-0", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["arn:aws:s3:::example_bucket"]}}`},
	{"valid-1", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam: asdf safdsf af ", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-2", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["arn:aws:s3:::example_bucket", "*"]}}`},
	{"valid-3", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-4", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}]}`},
	{"valid-5", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "service-prefix:action-name", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2017-07-01T00:00:00Z"}, "DateLessThan": {"aws:CurrentTime": "2017-12-31T23:59:59Z"}}}}`},
	{"valid-6", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "fsx:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-7", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:iam:::user/example_bucket"}}`},
	{"valid-8", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s33:::example_bucket"}}`},
	{"valid-9", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:fdsasf"}}`},
	{"valid-10", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {}}}`},
	{"valid-11", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}}}}`},
	{"valid-12", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:cloudwatch:us-east-1::example_bucket"}}`},
	{"valid-13", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:ec2:us-east-1::example_bucket"}}`},
	{"valid-14", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:invalid-service:::example_bucket"}}`},
	{"valid-15", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:invalid-service:us-east-1::example_bucket"}}`},
	{"valid-16", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2017-07-01T00:00:00Z"}, "DateLessThan": {"aws:CurrentTime": "2017-12-31T23:59:59Z"}}}}`},
	{"valid-17", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {}}}}`},
	{"valid-18", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": []}}}}`},
	{"valid-19", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"a": {}}}}`},
	{"valid-20", `{"Version": "2012-10-17", "Statement": {"Sid": "dsfsdfsdfsdfsdfsadfsd", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-21", `{"Version": "2012-10-17", "Statement": [{"Sid": "ConsoleDisplay", "Effect": "Allow", "Action": ["iam:GetRole", "iam:GetUser", "iam:ListRoles", "iam:ListRoleTags", "iam:ListUsers", "iam:ListUserTags"], "Resource": "*"}, {"Sid": "AddTag", "Effect": "Allow", "Action": ["iam:TagUser", "iam:TagRole"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/CostCenter": ["A-123", "B-456"]}, "ForAllValues:StringEquals": {"aws:TagKeys": "CostCenter"}}}]}`},
	{"valid-22", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-23", `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"]}}`},
	{"valid-24", `{"Version": "2012-10-17", "Id": "sdfsdfsdf", "Statement": {"Effect": "Allow", "NotAction": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-25", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "aaaaaadsfdsafsadfsadfaaaaa:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-26", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3-s:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-27", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3.s:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`},
	{"valid-28", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "s3:ListBucket", "NotResource": "*"}}`},
	{"valid-29", `{"Version": "2012-10-17", "Statement": [{"Sid": "sdf", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}]}`},
	{"valid-30", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateGreaterThan": {"a": "01T"}}}}`},
	{"valid-31", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"x": {}, "y": {}}}}`},
	{"valid-32", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"StringEqualsIfExists": {"a": "asf"}}}}`},
	{"valid-33", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"ForAnyValue:StringEqualsIfExists": {"a": "asf"}}}}`},
	{"valid-34", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThanEquals": {"a": "2019-07-01T13:20:15Z"}}}}`},
	{"valid-35", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThanEquals": {"a": "2016-12-13T21:20:37.593194+00:00"}}}}`},
	{"valid-36", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThanEquals": {"a": "2016-12-13t2:00:00.593194+23"}}}}`},
	{"valid-37", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", "Condition": {"DateLessThan": {"a": "-292275054"}}}}`},
	{"valid-38", `{"Version": "2012-10-17", "Statement": [{"Sid": "AllowViewAccountInfo", "Effect": "Allow", "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary", "iam:ListVirtualMFADevices"], "Resource": "*"}, {"Sid": "AllowManageOwnPasswords", "Effect": "Allow", "Action": ["iam:ChangePassword", "iam:GetUser"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnAccessKeys", "Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnSigningCertificates", "Effect": "Allow", "Action": ["iam:DeleteSigningCertificate", "iam:ListSigningCertificates", "iam:UpdateSigningCertificate", "iam:UploadSigningCertificate"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnSSHPublicKeys", "Effect": "Allow", "Action": ["iam:DeleteSSHPublicKey", "iam:GetSSHPublicKey", "iam:ListSSHPublicKeys", "iam:UpdateSSHPublicKey", "iam:UploadSSHPublicKey"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnGitCredentials", "Effect": "Allow", "Action": ["iam:CreateServiceSpecificCredential", "iam:DeleteServiceSpecificCredential", "iam:ListServiceSpecificCredentials", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnVirtualMFADevice", "Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"], "Resource": "arn:aws:iam::*:mfa/${aws:username}"}, {"Sid": "AllowManageOwnUserMFA", "Effect": "Allow", "Action": ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny", "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`},
	{"valid-39", `{"Version": "2012-10-17", "Statement": [{"Sid": "ListAndDescribe", "Effect": "Allow", "Action": ["dynamodb:List*", "dynamodb:DescribeReservedCapacity*", "dynamodb:DescribeLimits", "dynamodb:DescribeTimeToLive"], "Resource": "*"}, {"Sid": "SpecificTable", "Effect": "Allow", "Action": ["dynamodb:BatchGet*", "dynamodb:DescribeStream", "dynamodb:DescribeTable", "dynamodb:Get*", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchWrite*", "dynamodb:CreateTable", "dynamodb:Delete*", "dynamodb:Update*", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:*:*:table/MyTable"}]}`},
	{"valid-40", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:AttachVolume", "ec2:DetachVolume"], "Resource": ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:instance/*"], "Condition": {"ArnEquals": {"ec2:SourceInstanceARN": "arn:aws:ec2:*:*:instance/instance-id"}}}]}`},
	{"valid-41", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:AttachVolume", "ec2:DetachVolume"], "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"StringEquals": {"ec2:ResourceTag/Department": "Development"}}}, {"Effect": "Allow", "Action": ["ec2:AttachVolume", "ec2:DetachVolume"], "Resource": "arn:aws:ec2:*:*:volume/*", "Condition": {"StringEquals": {"ec2:ResourceTag/VolumeUser": "${aws:username}"}}}]}`},
	{"valid-42", `{"Version": "2012-10-17", "Statement": [{"Sid": "StartStopIfTags", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances", "ec2:DescribeTags"], "Resource": "arn:aws:ec2:region:account-id:instance/*", "Condition": {"StringEquals": {"ec2:ResourceTag/Project": "DataAnalytics", "aws:PrincipalTag/Department": "Data"}}}]}`},
	{"valid-43", `{"Version": "2012-10-17", "Statement": [{"Sid": "ListYourObjects", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["arn:aws:s3:::bucket-name"], "Condition": {"StringLike": {"s3:prefix": ["cognito/application-name/${cognito-identity.amazonaws.com:sub}"]}}}, {"Sid": "ReadWriteDeleteYourObjects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::bucket-name/cognito/application-name/${cognito-identity.amazonaws.com:sub}", "arn:aws:s3:::bucket-name/cognito/application-name/${cognito-identity.amazonaws.com:sub}/*"]}]}`},
	{"valid-44", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "Resource": "*"}, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket-name", "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:userid}/*"]}}}, {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::bucket-name/home/${aws:userid}", "arn:aws:s3:::bucket-name/home/${aws:userid}/*"]}]}`},
	{"valid-45", `{"Version": "2012-10-17", "Statement": [{"Sid": "ConsoleAccess", "Effect": "Allow", "Action": ["s3:GetAccountPublicAccessBlock", "s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:ListAllMyBuckets"], "Resource": "*"}, {"Sid": "ListObjectsInBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["arn:aws:s3:::bucket-name"]}, {"Sid": "AllObjectActions", "Effect": "Allow", "Action": "s3:*Object", "Resource": ["arn:aws:s3:::bucket-name/*"]}]}`},
	{"valid-46", `{"Version": "2012-10-17", "Statement": [{"Sid": "AllowViewAccountInfo", "Effect": "Allow", "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary"], "Resource": "*"}, {"Sid": "AllowManageOwnPasswords", "Effect": "Allow", "Action": ["iam:ChangePassword", "iam:GetUser"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnAccessKeys", "Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnSigningCertificates", "Effect": "Allow", "Action": ["iam:DeleteSigningCertificate", "iam:ListSigningCertificates", "iam:UpdateSigningCertificate", "iam:UploadSigningCertificate"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnSSHPublicKeys", "Effect": "Allow", "Action": ["iam:DeleteSSHPublicKey", "iam:GetSSHPublicKey", "iam:ListSSHPublicKeys", "iam:UpdateSSHPublicKey", "iam:UploadSSHPublicKey"], "Resource": "arn:aws:iam::*:user/${aws:username}"}, {"Sid": "AllowManageOwnGitCredentials", "Effect": "Allow", "Action": ["iam:CreateServiceSpecificCredential", "iam:DeleteServiceSpecificCredential", "iam:ListServiceSpecificCredentials", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"], "Resource": "arn:aws:iam::*:user/${aws:username}"}]}`},
	{"valid-47", `{"Version": "2012-10-17", "Statement": [{"Action": "ec2:*", "Resource": "*", "Effect": "Allow", "Condition": {"StringEquals": {"ec2:Region": "region"}}}]}`},
	{"valid-48", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "rds:*", "Resource": ["arn:aws:rds:region:*:*"]}, {"Effect": "Allow", "Action": ["rds:Describe*"], "Resource": ["*"]}]}`},
	{"valid-49", `{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "rds:*", "Resource": ["arn:aws:rds:region:*:*"]}, {"Sid": "", "Effect": "Allow", "Action": ["rds:Describe*"], "Resource": ["*"]}]}`},
	{"valid-50", `{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point", "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/*"]}]}`},
}

func TestParseIdentityRefusesAsAWS(t *testing.T) {
	for _, c := range awsInvalid {
		t.Run(c.name, func(t *testing.T) {
			wantMalformed(t, c.doc, c.want)
		})
	}
}

func TestParseIdentityAcceptsAsAWS(t *testing.T) {
	for _, c := range awsValid {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ParseIdentity(c.doc); err != nil {
				t.Fatalf("ParseIdentity(%s) = %v, want nil", c.doc, err)
			}
		})
	}
}

// wantMalformed checks that ParseIdentity refuses doc with AWS's message want.
func wantMalformed(t testing.TB, doc, want string) {
	t.Helper()
	d, err := ParseIdentity(doc)
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("ParseIdentity(%s) = %+v, %v; want *Error %q", doc, d, err, want)
	}
	if got := perr.Message; got != want {
		t.Fatalf("ParseIdentity(%s) message = %q, want %q", doc, got, want)
	}
}

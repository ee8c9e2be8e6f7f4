package policy

import "fmt"

// Error is a document AWS refuses. Message is AWS's text, byte for byte; the
// emulator answers it as 400 MalformedPolicyDocument.
type Error struct {
	Message string
}

func (e *Error) Error() string { return "MalformedPolicyDocument: " + e.Message }

// The texts below were recorded on real AWS (CreatePolicy, LocalStack's
// test_iam_policies.snapshot.json, 2026-02), except where a comment says
// otherwise.
var (
	errSyntax            = &Error{"Syntax errors in policy."}
	errVersion           = &Error{"Policy document must be version 2012-10-17 or greater."}
	errLegacy            = &Error{"The policy failed legacy parsing"}
	errSidUnique         = &Error{"Statement IDs (SID) in a single policy must be unique."}
	errNoActions         = &Error{"Policy statement must contain actions."}
	errNoResources       = &Error{"Policy statement must contain resources."}
	errVendorMissing     = &Error{"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."}
	errActionColons      = &Error{"Actions/Condition can contain only one colon."}
	errVendorUnqualified = &Error{"Resource vendor must be fully qualified and cannot contain regexes."}
	errIAMResourcePath   = &Error{`IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`}
	// Reported by users of real AWS (terraform-provider-aws#10419,
	// terraform#13449); its place among the checks is inferred from them: it
	// wins over a missing Resource.
	errPrincipal = &Error{"Policy document should not specify a principal."}
)

func errVendor(vendor string) *Error {
	return &Error{fmt.Sprintf("Vendor %s is not valid", vendor)}
}

func errResourceFormat(resource string) *Error {
	return &Error{fmt.Sprintf(`Resource %s must be in ARN format or "*".`, resource)}
}

func errPartition(partition, arn string) *Error {
	return &Error{fmt.Sprintf(`Partition "%s" is not valid for resource "%s".`, partition, arn)}
}

func errIAMRegion(resource string) *Error {
	return &Error{fmt.Sprintf("IAM resource %s cannot contain region information.", resource)}
}

func errS3Region(resource string) *Error {
	return &Error{fmt.Sprintf("Resource %s can not contain region information.", resource)}
}

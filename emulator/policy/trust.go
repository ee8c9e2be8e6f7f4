package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// trustActions are the actions a trust policy may name
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html
// and the sts actions of the service authorization reference that a role's
// trust policy grants: AssumeRole*, TagSession, SetSourceIdentity,
// SetContext). A wildcard is accepted when it names only such actions; that
// AWS accepts "sts:*" and "sts:AssumeRole*" is inferred.
var trustActions = []string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

// ParseTrust parses doc as a role's trust policy (its
// AssumeRolePolicyDocument) and refuses it as AWS does: invalid JSON, a
// Resource, an action other than STS's assume-role family, a statement
// without a principal, or a principal that does not exist. exists answers
// for each AWS principal of a well-formed shape whether it exists; the
// caller knows its account (another account's principals exist).
func ParseTrust(doc string, exists func(arn string) bool) (*Document, error) {
	if _, ok := decodeJSON(doc); !ok {
		return nil, errTrustJSON
	}
	d, _, err := parse(doc)
	if err != nil {
		return nil, err
	}
	for _, s := range d.Statements {
		if s.Resource != nil {
			return nil, errTrustResource("Resource")
		}
		if s.NotResource != nil {
			return nil, errTrustResource("NotResource")
		}
	}
	for _, s := range d.Statements {
		for _, a := range s.Action {
			if !trustAction(a) {
				return nil, errTrustActions
			}
		}
	}
	for _, s := range d.Statements {
		p := s.Principal
		if p == nil {
			p = s.NotPrincipal
		}
		if p == nil {
			return nil, errTrustNoPrincipal
		}
		if err := trustPrincipal(p, exists); err != nil {
			return nil, err
		}
	}
	d.lowerActions()
	return d, nil
}

// trustAction reports whether a names only actions a trust policy may
// grant: one of them, or a wildcard that matches at least one.
func trustAction(a string) bool {
	a = strings.ToLower(a)
	if !strings.HasPrefix(a, "sts:") {
		return false
	}
	p := newPattern(escapeBackslashes(a))
	for _, t := range trustActions {
		if p.match(t) {
			return true
		}
	}
	return false
}

// awsPrincipal is the shape of an "AWS" principal AWS accepts: an account
// id, the account's root, or one of its users, roles, role sessions or
// federated users.
var awsPrincipal = regexp.MustCompile(`^(\d{12}|arn:[a-z-]+:iam::\d{12}:(root|user/.+|role/.+)|arn:[a-z-]+:sts::\d{12}:(assumed-role|federated-user)/.+)$`)

// federatedPrincipal is the shape of a "Federated" principal: a web
// identity provider's domain name (cognito-identity.amazonaws.com,
// accounts.google.com) or an OIDC or SAML provider's ARN.
var federatedPrincipal = regexp.MustCompile(`^(arn:[a-z-]+:iam::\d{12}:(oidc-provider|saml-provider)/.+|([A-Za-z0-9-]+\.)+[A-Za-z]{2,})$`)

func trustPrincipal(p *Principal, exists func(arn string) bool) error {
	if p.Any {
		return nil
	}
	for _, id := range p.IDs["AWS"] {
		if id == "*" {
			continue
		}
		if !awsPrincipal.MatchString(id) || !exists(id) {
			return errInvalidPrincipal("AWS", id)
		}
	}
	for _, id := range p.IDs["Federated"] {
		switch {
		case !federatedPrincipal.MatchString(id):
			return errFederatedShape
		case strings.HasPrefix(id, "arn:") && !exists(id):
			return errInvalidPrincipal("Federated", id)
		}
	}
	return nil
}

// The texts of trust policies, from LocalStack's test_iam_roles snapshot
// recorded on AWS (aws-facts §4 Roles) unless a comment says otherwise.
var (
	errTrustJSON    = &Error{"This policy contains invalid Json"}
	errTrustActions = &Error{"AssumeRole policy may only specify STS AssumeRole actions."}
	// Reported by users of real AWS (terraform-aws-modules/terraform-aws-iam#47,
	// cloudposse/terraform-aws-cloudwatch-logs#7).
	errTrustNoPrincipal = &Error{"Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"}
	// Reported by users of real AWS for a provider ARN AWS could not read
	// (terraform-aws-modules/terraform-aws-iam#202, terraform-aws-eks#2594).
	errFederatedShape = &Error{"Federated principals must be valid domain names or SAML metadata ARNs"}
)

// errTrustResource: the Resource text is recorded; NotResource's follows it
// (inferred).
func errTrustResource(field string) *Error {
	return &Error{"Has prohibited field " + field}
}

// errInvalidPrincipal is reported by users of real AWS for a role ARN that
// does not exist (databrickslabs/ucx#2269,
// aws-actions/configure-aws-credentials#332).
func errInvalidPrincipal(typ, id string) *Error {
	return &Error{fmt.Sprintf(`Invalid principal in policy: "%s":"%s"`, typ, id)}
}

package policy

import (
	"fmt"
	"strings"
)

// ParseIdentity parses doc as an identity-based policy (a managed policy, an
// inline policy or a permissions boundary) and refuses it as AWS does. When
// a document has several faults, AWS reports one, by this order of checks
// (each step recorded on AWS):
//
//  1. JSON and grammar: "Syntax errors in policy."
//  2. a missing or 2008-10-17 Version
//  3. a Principal or NotPrincipal
//  4. legacy parsing: the case of Effect, Date condition values, then the
//     shape of resource ARNs (only while no resource has a format fault)
//  5. duplicate Sids
//  6. a statement without actions, then one without resources
//  7. the first resource format fault
//  8. action vendors and colons
func ParseIdentity(doc string) (*Document, error) {
	d, notes, err := parse(doc)
	if err != nil {
		return nil, err
	}
	if d.Version != "2012-10-17" {
		return nil, errVersion
	}
	for _, s := range d.Statements {
		if s.Principal != nil || s.NotPrincipal != nil {
			return nil, errPrincipal
		}
	}
	if notes.legacyEffect || !legacyDates(d) {
		return nil, errLegacy
	}
	resourceErr, legacyOK := resourceFormats(d)
	if !legacyOK {
		return nil, errLegacy
	}
	if err := uniqueSids(d); err != nil {
		return nil, err
	}
	for _, s := range d.Statements {
		if len(s.Action) == 0 && len(s.NotAction) == 0 {
			return nil, errNoActions
		}
	}
	for _, s := range d.Statements {
		if len(s.Resource) == 0 && len(s.NotResource) == 0 {
			return nil, errNoResources
		}
	}
	if resourceErr != nil {
		return nil, resourceErr
	}
	for _, s := range d.Statements {
		actions := s.Action
		if actions == nil {
			actions = s.NotAction
		}
		for _, a := range actions {
			if err := actionError(a); err != nil {
				return nil, err
			}
		}
	}
	d.lowerActions()
	return d, nil
}

func legacyDates(d *Document) bool {
	for _, s := range d.Statements {
		for _, c := range s.Conditions {
			if !strings.HasPrefix(c.Base, "Date") {
				continue
			}
			for _, v := range c.Values {
				if !validDate(v) {
					return false
				}
			}
		}
	}
	return true
}

// resourceFormats returns the first resource (or NotResource) whose format
// AWS refuses, and whether the resources before it pass AWS's legacy parser,
// which AWS runs statement by statement until a format fault is found.
func resourceFormats(d *Document) (first *Error, legacyOK bool) {
	for _, s := range d.Statements {
		resources := s.Resource
		if resources == nil {
			resources = s.NotResource
		}
		for _, r := range resources {
			if first == nil {
				first = resourceError(r)
			}
		}
		if first != nil {
			continue
		}
		for _, r := range resources {
			if !legacyResource(r) {
				return nil, false
			}
		}
	}
	return first, true
}

// legacyResource is AWS's legacy parser's view of an ARN: a "::" needs all
// six fields, and the service may not be empty.
func legacyResource(r string) bool {
	if r == "*" {
		return true
	}
	if strings.Contains(r, "::") && strings.Count(r, ":") < 5 {
		return false
	}
	fields := strings.SplitN(r, ":", 4)
	return len(fields) < 3 || fields[2] != ""
}

func uniqueSids(d *Document) error {
	seen := make(map[string]bool, len(d.Statements))
	for _, s := range d.Statements {
		if s.Sid == "" {
			continue
		}
		if seen[s.Sid] {
			return errSidUnique
		}
		seen[s.Sid] = true
	}
	return nil
}

// actionError checks an action's vendor prefix ("s3:GetObject", "*").
func actionError(a string) *Error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	switch {
	case !ok || vendor == "":
		return errVendorMissing
	case strings.Contains(name, ":"):
		return errActionColons
	case strings.IndexFunc(vendor, notVendorRune) >= 0:
		return errVendor(vendor)
	}
	return nil
}

func notVendorRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.')
}

// partitions are the AWS partitions a resource may name; "*" matches all.
var partitions = map[string]bool{
	"*": true, "aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
	"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// iamPaths are the resource paths an IAM ARN may start with.
var iamPaths = []string{"*", "root", "user/", "federated-user/", "role/", "group/",
	"instance-profile/", "mfa/", "server-certificate/", "policy/", "sms-mfa/",
	"saml-provider/", "oidc-provider/", "report/", "access-report/"}

// resourceError checks a Resource or NotResource value:
// arn:partition:service:region:account:resource, or "*".
func resourceError(r string) *Error {
	if r == "*" {
		return nil
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return errResourceFormat(r)
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !partitions[partition] {
		return errPartition(partition, "arn:"+partition+":"+arnTail(rest))
	}
	if !ok {
		return errVendorUnqualified
	}
	service, rest, _ := strings.Cut(rest, ":")
	region, rest, _ := strings.Cut(rest, ":")
	account, path, _ := strings.Cut(rest, ":")
	switch service {
	case "iam":
		if region != "" {
			return errIAMRegion(r)
		}
		if !hasAnyPrefix(path, iamPaths) {
			return errIAMResourcePath
		}
	case "s3":
		// Bucket and object ARNs have neither region nor account; access
		// points, jobs and Storage Lens have both (arn:aws:s3:*:*:job/*).
		if region != "" && account == "" {
			return errS3Region(r)
		}
	}
	return nil
}

// arnTail renders the fields after a partition as AWS echoes them in its
// partition message: missing fields become "*".
func arnTail(rest string) string {
	f := strings.SplitN(rest, ":", 4)
	if len(f) == 1 && f[0] == "" {
		f[0] = "*"
	}
	for len(f) < 4 {
		f = append(f, "*")
	}
	return fmt.Sprintf("%s:%s:%s:%s", f[0], f[1], f[2], f[3])
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

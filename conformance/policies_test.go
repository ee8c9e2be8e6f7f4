package conformance

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Documents of LocalStack's policy tests recorded on AWS
// (test_iam_policies.py SAMPLE_POLICY, _2, _3).
const (
	samplePolicy  = `{"Version": "2012-10-17", "Statement": [{"Sid": "Statement1", "Effect": "Allow", "Action": ["iam:ListUsers"], "Resource": "*"}]}`
	samplePolicy2 = `{"Version": "2012-10-17", "Statement": [{"Sid": "Statement1", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "*"}]}`
	samplePolicy3 = `{"Version": "2012-10-17", "Statement": [{"Sid": "Statement1", "Effect": "Allow", "Action": ["ec2:DescribeInstances"], "Resource": "*"}]}`
)

// Texts of managed policies (aws-facts §4 "Managed policies and attachment").
const (
	versionIDPattern = `1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`
	policyHasVersion = "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
	policyInUse      = "Cannot delete a policy attached to entities."
)

func policyARN(path, name string) string { return "arn:aws:iam::" + account + ":policy" + path + name }

func noSuchPolicy(arn string) string { return "Policy " + arn + " was not found." }

func notAttachable(arn string) string {
	return "Policy " + arn + " does not exist or is not attachable."
}

func noSuchVersion(arn, v string) string {
	return "Policy " + arn + " version " + v + " does not exist or is not attachable."
}

// createPolicy creates a policy as root and returns its ARN.
func (tg *target) createPolicy(t testing.TB, name, doc string) string {
	t.Helper()
	out, err := tg.iam().CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
	if err != nil {
		t.Fatalf("CreatePolicy %s: %v", name, err)
	}
	return *out.Policy.Arn
}

func summaryOf(t testing.TB, c *iam.Client, key string) int32 {
	t.Helper()
	return must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap[key]
}

// listPolicyNames lists the policies in, pageSize at a time, and checks
// that only the last page is untruncated and without a marker.
//
// Where many pages are read they stay under 4 KB: smithy-go v1.28.8
// closes the request body as soon as the response headers arrive, and the
// closed body's WriteTo then answers io.EOF to net/http's check for bytes
// past Content-Length; the transport takes that for a failed write and
// closes the connection, which loses a response larger than its 4 KB read
// buffer. Only a server as fast as a local one answers inside that window.
func listPolicyNames(t testing.TB, c *iam.Client, in iam.ListPoliciesInput, pageSize int32) (names, ids []string) {
	t.Helper()
	for pages := 1; ; pages++ {
		in.MaxItems = aws.Int32(pageSize)
		out := must[*iam.ListPoliciesOutput](t)(c.ListPolicies(ctx, &in))
		if len(out.Policies) > int(pageSize) {
			t.Fatalf("ListPolicies page %d has %d items, want at most %d", pages, len(out.Policies), pageSize)
		}
		for _, p := range out.Policies {
			names = append(names, *p.PolicyName)
			ids = append(ids, *p.PolicyId)
		}
		if !out.IsTruncated {
			if out.Marker != nil {
				t.Errorf("last ListPolicies page carries Marker %q, want none", *out.Marker)
			}
			return names, ids
		}
		if out.Marker == nil {
			t.Fatalf("ListPolicies page %d: truncated without a marker", pages)
		}
		in.Marker = out.Marker
	}
}

func TestPolicyLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()

	created := must[*iam.CreatePolicyOutput](t)(c.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName: aws.String("Readers"), PolicyDocument: aws.String(samplePolicy), Path: aws.String("/test/path/"),
		Description: aws.String("testing"), Tags: []types.Tag{{Key: aws.String("somekey"), Value: aws.String("somevalue")}},
	})).Policy
	arn := policyARN("/test/path/", "Readers")
	if got := aws.ToString(created.Arn); got != arn {
		t.Errorf("Arn=%q, want %q", got, arn)
	}
	if id := aws.ToString(created.PolicyId); !strings.HasPrefix(id, "ANPA") || len(id) != 21 {
		t.Errorf("PolicyId=%q, want ANPA + 17 characters", id)
	}
	if got, want := aws.ToString(created.DefaultVersionId), "v1"; got != want {
		t.Errorf("DefaultVersionId=%q, want %q", got, want)
	}
	if aws.ToInt32(created.AttachmentCount) != 0 || created.PermissionsBoundaryUsageCount == nil || !created.IsAttachable {
		t.Errorf("counts=%v,%v IsAttachable=%v, want 0, 0, true", created.AttachmentCount, created.PermissionsBoundaryUsageCount, created.IsAttachable)
	}
	if created.Description != nil || len(created.Tags) != 1 {
		t.Errorf("CreatePolicy Description=%v Tags=%v, want no description and the tag, as AWS answers", created.Description, created.Tags)
	}
	if created.CreateDate == nil || !created.CreateDate.Equal(*created.UpdateDate) {
		t.Errorf("CreateDate=%v UpdateDate=%v, want equal", created.CreateDate, created.UpdateDate)
	}
	if got, want := summaryOf(t, c, "Policies"), int32(1); got != want {
		t.Errorf("GetAccountSummary Policies=%d, want %d", got, want)
	}

	got := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy
	if aws.ToString(got.Description) != "testing" || len(got.Tags) != 1 || aws.ToString(got.PolicyId) != aws.ToString(created.PolicyId) {
		t.Errorf("GetPolicy=%+v, want the description, the tag and the same id", got)
	}
	bare := tg.createPolicy(t, "Bare", samplePolicy)
	if tags := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(bare)})).Policy.Tags; tags == nil || len(tags) != 0 {
		t.Errorf("GetPolicy Tags=%#v without tags, want an empty list", tags)
	}

	local, _ := listPolicyNames(t, c, iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}, 1)
	if want := []string{"Bare", "Readers"}; !slices.Equal(slices.Sorted(slices.Values(local)), want) {
		t.Errorf("ListPolicies Scope=Local=%v, want %v", local, want)
	}
	under, _ := listPolicyNames(t, c, iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, PathPrefix: aws.String("/test/")}, 10)
	if want := []string{"Readers"}; !slices.Equal(under, want) {
		t.Errorf("ListPolicies PathPrefix=/test/ %v, want %v", under, want)
	}

	must[*iam.DeletePolicyOutput](t)(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))
	_, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(arn))
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(arn))
	if got, want := summaryOf(t, c, "Policies"), int32(1); got != want {
		t.Errorf("GetAccountSummary Policies after delete=%d, want %d", got, want)
	}
}

func TestCreatePolicyErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createPolicy(t, "Taken", samplePolicy)
	create := func(name, doc string, tags ...types.Tag) error {
		_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc), Tags: tags})
		return err
	}
	tag := func(k string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String("")} }
	// 6,144 characters that count, padded with white space that does not.
	statement := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`
	atQuota := `{"Version":"2012-10-17","Statement":[` + statement
	atQuota += strings.Repeat("b", 6144-len(atQuota)-len(`"}]}`)) + `"}]}`

	t.Run("EntityAlreadyExists", func(t *testing.T) {
		wantAPIError(t, create("TAKEN", samplePolicy), "EntityAlreadyExists", 409, "A policy called TAKEN already exists. Duplicate names are not allowed.")
	})
	t.Run("MalformedPolicyDocument", func(t *testing.T) {
		wantAPIError(t, create("p", "This is not a json document"), "MalformedPolicyDocument", 400, "Syntax errors in policy.")
		wantAPIError(t, create("p", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid","Resource":"*"}}`),
			"MalformedPolicyDocument", 400, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
		wantAPIError(t, create("p", `{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`),
			"MalformedPolicyDocument", 400, "Policy document must be version 2012-10-17 or greater.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		if err := create("AtQuota", strings.ReplaceAll(atQuota, ",", ",\n    ")); err != nil {
			t.Fatalf("a document of 6,144 characters and white space: %v", err)
		}
		over := strings.Replace(atQuota, `"}]}`, `b"}]}`, 1)
		wantAPIError(t, create("Over", over), "LimitExceeded", 409, "Cannot exceed quota for PolicySize: 6144")
	})
	t.Run("InvalidInput", func(t *testing.T) {
		wantAPIError(t, create("p", samplePolicy, tag("0"), tag("0")), "InvalidInput", 400, "Duplicate tag keys found.")
		if err := create("CaseKeys", samplePolicy, tag("a"), tag("A")); err != nil {
			t.Errorf("tag keys a and A: %v, want two keys (policy tag keys are case-sensitive)", err)
		}
	})
	t.Run("ValidationError", func(t *testing.T) {
		tags := make([]types.Tag, 51)
		for i := range tags {
			tags[i] = tag(strings.Repeat("k", i+1))
		}
		wantAPIError(t, create("p", samplePolicy, tags...), "ValidationError", 400, tooManyTags)
		_, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("longpolicynamebutnoarn")})
		wantAPIError(t, err, "ValidationError", 400, "ARN longpolicynamebutnoarn is not valid.")
	})
	names, _ := listPolicyNames(t, c, iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}, 100)
	if want := []string{"AtQuota", "CaseKeys", "Taken"}; !slices.Equal(slices.Sorted(slices.Values(names)), want) {
		t.Errorf("policies after the refusals=%v, want %v", names, want)
	}
}

// TestPolicyDocumentURLEncoded: IAM returns documents URL-encoded; the SDK
// hands them over as they came, and decoding gives back the exact text
// that was submitted, white space, order and all.
func TestPolicyDocumentURLEncoded(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"é+%~\", \"Effect\": \"Allow\",\t\"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}"
	arn := tg.createPolicy(t, "Spaced", doc)
	v := must[*iam.GetPolicyVersionOutput](t)(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})).PolicyVersion
	raw := aws.ToString(v.Document)
	if !strings.HasPrefix(raw, "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22") || !strings.Contains(raw, "s3%3A%2A") {
		t.Errorf("Document=%q, want it URL-encoded as AWS does (%%7B%%0A%%20%%20%%22Version%%22…, s3%%3A%%2A)", raw)
	}
	decoded, err := url.QueryUnescape(raw)
	if err != nil || decoded != doc {
		t.Errorf("QueryUnescape(Document)=%q,%v, want the submitted document %q", decoded, err, doc)
	}
	if !v.IsDefaultVersion || aws.ToString(v.VersionId) != "v1" {
		t.Errorf("PolicyVersion=%+v, want v1, the default", v)
	}
}

func TestPolicyVersions(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := tg.createPolicy(t, "Versioned", samplePolicy)
	createVersion := func(doc string, setDefault bool) (*types.PolicyVersion, error) {
		out, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(doc), SetAsDefault: setDefault})
		if err != nil {
			return nil, err
		}
		return out.PolicyVersion, nil
	}
	versions := func() []string {
		out := must[*iam.ListPolicyVersionsOutput](t)(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)}))
		var ids []string
		for _, v := range out.Versions {
			id := *v.VersionId
			if v.IsDefaultVersion {
				id += "*"
			}
			ids = append(ids, id)
		}
		return ids
	}
	document := func(v string) string {
		out := must[*iam.GetPolicyVersionOutput](t)(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)}))
		doc, _ := url.QueryUnescape(aws.ToString(out.PolicyVersion.Document))
		return doc
	}

	v2 := must[*types.PolicyVersion](t)(createVersion(samplePolicy2, true))
	if aws.ToString(v2.VersionId) != "v2" || !v2.IsDefaultVersion || v2.Document != nil {
		t.Errorf("CreatePolicyVersion=%+v, want v2, default, no document", v2)
	}
	if got := document("v2"); got != samplePolicy2 {
		t.Errorf("GetPolicyVersion v2=%q, want %q", got, samplePolicy2)
	}
	must[*iam.DeletePolicyVersionOutput](t)(c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")}))
	must[*types.PolicyVersion](t)(createVersion(samplePolicy3, false))
	if got, want := versions(), []string{"v3", "v2*"}; !slices.Equal(got, want) {
		t.Errorf("ListPolicyVersions=%v, want %v (newest first, * the default)", got, want)
	}
	p := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy
	if aws.ToString(p.DefaultVersionId) != "v2" || p.UpdateDate.Before(*p.CreateDate) {
		t.Errorf("GetPolicy DefaultVersionId=%v UpdateDate=%v, want v2 and the newest version's date", p.DefaultVersionId, p.UpdateDate)
	}
	must[*iam.SetDefaultPolicyVersionOutput](t)(c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v3")}))
	if got, want := versions(), []string{"v3*", "v2"}; !slices.Equal(got, want) {
		t.Errorf("ListPolicyVersions after SetDefaultPolicyVersion=%v, want %v", got, want)
	}

	must[*types.PolicyVersion](t)(createVersion(samplePolicy, false))
	must[*types.PolicyVersion](t)(createVersion(samplePolicy, false))
	must[*types.PolicyVersion](t)(createVersion(samplePolicy, false))
	t.Run("LimitExceeded", func(t *testing.T) {
		_, err := createVersion(samplePolicy, false)
		wantAPIError(t, err, "LimitExceeded", 409, "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	})
	must[*iam.DeletePolicyVersionOutput](t)(c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v6")}))
	if v := must[*types.PolicyVersion](t)(createVersion(samplePolicy, false)); aws.ToString(v.VersionId) != "v7" {
		t.Errorf("version after deleting v6=%v, want v7 (ids are never reused)", v.VersionId)
	}
	pages := allPages(t, "ListPolicyVersions", 2, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.ListPolicyVersionsOutput](t)(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn), MaxItems: aws.Int32(2), Marker: marker}))
		var ids []string
		for _, v := range out.Versions {
			ids = append(ids, *v.VersionId)
		}
		return ids, out.IsTruncated, out.Marker
	})
	if want := []string{"v7", "v5", "v4", "v3", "v2"}; !slices.Equal(pages, want) {
		t.Errorf("ListPolicyVersions pages=%v, want %v", pages, want)
	}

	missing := policyARN("/", "TestNonExistingPolicy")
	t.Run("NoSuchEntity", func(t *testing.T) {
		_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(missing), VersionId: aws.String("v1")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchVersion(missing, "v1"))
		_, err = c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchVersion(arn, "v9"))
		_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchVersion(arn, "v9"))
		_, err = c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(missing), VersionId: aws.String("v1")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchVersion(missing, "v1"))
		_, err = c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchVersion(arn, "v1"))
		_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(missing), PolicyDocument: aws.String(samplePolicy)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(missing))
		_, err = c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(missing)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(missing))
	})
	t.Run("ValidationError", func(t *testing.T) {
		_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("wrong_version_id")})
		wantAPIError(t, err, "ValidationError", 400, versionIDPattern)
	})
	t.Run("MalformedPolicyDocument", func(t *testing.T) {
		_, err := createVersion(`{"Version":"2012-10-17","Statement":[]}`, true)
		wantAPIError(t, err, "MalformedPolicyDocument", 400, "Syntax errors in policy.")
	})
	t.Run("DeleteConflict", func(t *testing.T) {
		_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v3")})
		wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete the default version of a policy.")
		_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
		wantAPIError(t, err, "DeleteConflict", 409, policyHasVersion)
	})
	for _, v := range []string{"v7", "v5", "v4", "v2"} {
		must[*iam.DeletePolicyVersionOutput](t)(c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)}))
	}
	must[*iam.DeletePolicyOutput](t)(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))
}

func TestPolicyTags(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := tg.createPolicy(t, "Tagged", samplePolicy)
	tagKeys := func(marker *string, maxItems *int32) ([]string, bool, *string) {
		out := must[*iam.ListPolicyTagsOutput](t)(c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn), Marker: marker, MaxItems: maxItems}))
		var keys []string
		for _, tag := range out.Tags {
			keys = append(keys, *tag.Key+"="+*tag.Value)
		}
		return keys, out.IsTruncated, out.Marker
	}
	tagPolicy := func(kv ...string) {
		var tags []types.Tag
		for i := 0; i < len(kv); i += 2 {
			tags = append(tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		must[*iam.TagPolicyOutput](t)(c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: tags}))
	}

	tagPolicy("abc", "first", "b", "second", "z", "third", "a", "fourth")
	if got, _, _ := tagKeys(nil, nil); !slices.Equal(got, []string{"a=fourth", "b=second", "z=third", "abc=first"}) {
		t.Errorf("ListPolicyTags=%v, want by key length, then key, as AWS lists them", got)
	}
	tagPolicy("b", "", "A", "upper")
	must[*iam.UntagPolicyOutput](t)(c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(arn), TagKeys: []string{"a", "zz"}}))
	if got := allPages(t, "ListPolicyTags", 1, func(m *string) ([]string, bool, *string) { return tagKeys(m, aws.Int32(1)) }); !slices.Equal(got, []string{"A=upper", "b=", "z=third", "abc=first"}) {
		t.Errorf("ListPolicyTags pages=%v, want A kept apart from a (keys are case-sensitive), b emptied", got)
	}
	if got := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy.Tags; len(got) != 4 {
		t.Errorf("GetPolicy Tags=%v, want 4", got)
	}

	missing := policyARN("/", "NotAPolicy")
	t.Run("NoSuchEntity", func(t *testing.T) {
		_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(missing), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(missing))
		_, err = c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(missing), TagKeys: []string{"k"}})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(missing))
		_, err = c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(missing)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(missing))
	})
	t.Run("InvalidInput", func(t *testing.T) {
		_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("0"), Value: aws.String("")}, {Key: aws.String("0"), Value: aws.String("")}}})
		wantAPIError(t, err, "InvalidInput", 400, "Duplicate tag keys found.")
	})
	t.Run("AccessDenied", func(t *testing.T) {
		aws := "arn:aws:iam::aws:policy/ReadOnlyAccess"
		_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: &aws, Tags: []types.Tag{{Key: &aws, Value: &aws}}})
		wantAPIError(t, err, "AccessDenied", 403, "User: arn:aws:iam::"+account+":root is not authorized to perform: iam:TagPolicy on resource: policy "+aws)
	})
}

// TestAWSManagedPolicies: the catalogue is served as AWS serves it:
// listed with Scope=AWS by ascending PolicyId, readable, not deletable.
func TestAWSManagedPolicies(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"

	p := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(readOnly)})).Policy
	if aws.ToString(p.PolicyName) != "ReadOnlyAccess" || aws.ToString(p.PolicyId) != "ANPAILL3HVNFSB6DCOWYQ" || aws.ToString(p.Path) != "/" || !p.IsAttachable {
		t.Errorf("GetPolicy ReadOnlyAccess=%+v, want AWS's name, id and path", p)
	}
	def := aws.ToString(p.DefaultVersionId)
	const lambda = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" // a small document
	v := must[*iam.GetPolicyVersionOutput](t)(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(lambda), VersionId: aws.String("v1")})).PolicyVersion
	if doc, err := url.QueryUnescape(aws.ToString(v.Document)); err != nil || !strings.Contains(doc, `"logs:CreateLogGroup"`) || !v.IsDefaultVersion {
		t.Errorf("GetPolicyVersion %s v1=%q,%v, want the default version's document", lambda, doc, err)
	}
	_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(readOnly), VersionId: aws.String("v1")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchVersion(readOnly, "v1"))
	versions := must[*iam.ListPolicyVersionsOutput](t)(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(readOnly)})).Versions
	if len(versions) != 1 || aws.ToString(versions[0].VersionId) != def {
		t.Errorf("ListPolicyVersions=%v, want the one known version %s", versions, def)
	}

	names, ids := listPolicyNames(t, c, iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws}, 7)
	if len(names) != 1485 || !slices.IsSorted(ids) || slices.Contains(names, "") {
		t.Errorf("ListPolicies Scope=AWS gave %d policies (sorted by id: %v), want 1,485 by ascending PolicyId", len(names), slices.IsSorted(ids))
	}
	roles, _ := listPolicyNames(t, c, iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, PathPrefix: aws.String("/job-function/")}, 7)
	if !slices.Contains(roles, "SystemAdministrator") || slices.Contains(roles, "ReadOnlyAccess") {
		t.Errorf("ListPolicies PathPrefix=/job-function/=%v, want the job-function policies only", roles)
	}
	tg.createPolicy(t, "Mine", samplePolicy)
	all, _ := listPolicyNames(t, c, iam.ListPoliciesInput{}, 7)
	if len(all) != 1486 || !slices.Contains(all, "Mine") {
		t.Errorf("ListPolicies Scope=All gave %d, want 1,486 with Mine", len(all))
	}

	t.Run("AccessDenied", func(t *testing.T) {
		_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
		wantAPIError(t, err, "AccessDenied", 403, "Cannot delete policies outside your own account.")
		_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(readOnly), PolicyDocument: aws.String(samplePolicy)})
		wantAPIError(t, err, "AccessDenied", 403, "User: arn:aws:iam::"+account+":root is not authorized to perform: iam:CreatePolicyVersion on resource: policy "+readOnly)
	})
	t.Run("NoSuchEntity", func(t *testing.T) {
		missing := "arn:aws:iam::aws:policy/NoSuchManagedPolicy"
		_, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(missing)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(missing))
	})
}

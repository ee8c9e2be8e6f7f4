package emulator

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
)

// documentOut is a policy document as IAM returns it: URL-encoded (RFC
// 3986: every byte but letters, digits and -._~ as %XX), which the AWS CLI
// and boto3 decode and the SDKs hand over as it came.
func documentOut(doc string) *string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := range len(doc) {
		switch ch := doc[i]; {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9', ch == '-', ch == '.', ch == '_', ch == '~':
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return aws.String(b.String())
}

// versionOut is the SDK view of a version; lists leave the document out.
func versionOut(v *store.PolicyVersion, isDefault, withDocument bool) *types.PolicyVersion {
	out := &types.PolicyVersion{VersionId: aws.String(v.ID), IsDefaultVersion: isDefault, CreateDate: aws.Time(v.Created)}
	if withDocument {
		out.Document = documentOut(v.Document)
	}
	return out
}

// versions is the versions of p, newest first, with the default's id. An
// AWS managed policy has the one version the catalogue knows, made when
// the policy was last updated.
func (p *managedPolicy) versions() ([]store.PolicyVersion, string) {
	if p.customer != nil {
		return p.customer.Versions, p.customer.Default
	}
	return []store.PolicyVersion{{ID: p.aws.DefaultVersionID, Document: p.aws.Document, Created: p.aws.Updated}}, p.aws.DefaultVersionID
}

// CreatePolicyVersion adds a version, the default one when SetAsDefault;
// a policy keeps at most five.
func (e *Emulator) CreatePolicyVersion(ctx context.Context, in *iam.CreatePolicyVersionInput) (*iam.CreatePolicyVersionOutput, error) {
	c := callerOf(ctx)
	doc := aws.ToString(in.PolicyDocument)
	if err := checkPolicyDocument(doc); err != nil {
		return nil, err
	}
	now := e.now()
	var v store.PolicyVersion
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := customerPolicy(tx, c, *in.PolicyArn, "iam:CreatePolicyVersion", noSuchPolicy)
		if err != nil {
			return err
		}
		if len(p.Versions) >= maxVersionsPerPolicy {
			return policyVersionsQuota()
		}
		p.Made++
		v = store.PolicyVersion{ID: "v" + strconv.Itoa(p.Made), Document: doc, Created: now}
		p.Versions = append([]store.PolicyVersion{v}, p.Versions...)
		p.Updated = now
		if in.SetAsDefault {
			p.Default = v.ID
		}
		return tx.UpdatePolicy(p)
	})
	if err != nil {
		return nil, err
	}
	out := versionOut(&v, in.SetAsDefault, false)
	return &iam.CreatePolicyVersionOutput{PolicyVersion: out}, nil
}

func (e *Emulator) GetPolicyVersion(ctx context.Context, in *iam.GetPolicyVersionInput) (*iam.GetPolicyVersionOutput, error) {
	c := callerOf(ctx)
	notFound := func(arn string) error { return noSuchPolicyVersion(arn, *in.VersionId) }
	var out *types.PolicyVersion
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedPolicy(tx, c, *in.PolicyArn, "iam:GetPolicyVersion", notFound)
		if err != nil {
			return err
		}
		versions, def := p.versions()
		i := slices.IndexFunc(versions, func(v store.PolicyVersion) bool { return v.ID == *in.VersionId })
		if i < 0 {
			return notFound(*in.PolicyArn)
		}
		out = versionOut(&versions[i], versions[i].ID == def, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetPolicyVersionOutput{PolicyVersion: out}, nil
}

// ListPolicyVersions lists newest first, as AWS does.
func (e *Emulator) ListPolicyVersions(ctx context.Context, in *iam.ListPolicyVersionsInput) (*iam.ListPolicyVersionsOutput, error) {
	c := callerOf(ctx)
	var versions []store.PolicyVersion
	var def string
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedPolicy(tx, c, *in.PolicyArn, "iam:ListPolicyVersions", noSuchPolicy)
		if err == nil {
			versions, def = p.versions()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListPolicyVersions", versions, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListPolicyVersionsOutput{Versions: []types.PolicyVersion{}, IsTruncated: next != nil, Marker: next}
	for i := range page {
		out.Versions = append(out.Versions, *versionOut(&page[i], page[i].ID == def, false))
	}
	return out, nil
}

// DeletePolicyVersion deletes a version other than the default.
func (e *Emulator) DeletePolicyVersion(ctx context.Context, in *iam.DeletePolicyVersionInput) (*iam.DeletePolicyVersionOutput, error) {
	c := callerOf(ctx)
	notFound := func(arn string) error { return noSuchPolicyVersion(arn, *in.VersionId) }
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := customerPolicy(tx, c, *in.PolicyArn, "iam:DeletePolicyVersion", notFound)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(p.Versions, func(v store.PolicyVersion) bool { return v.ID == *in.VersionId })
		switch {
		case i < 0:
			return notFound(*in.PolicyArn)
		case p.Versions[i].ID == p.Default:
			return defaultVersionUndeletable()
		}
		p.Versions = slices.Delete(p.Versions, i, i+1)
		return tx.UpdatePolicy(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeletePolicyVersionOutput{}, nil
}

func (e *Emulator) SetDefaultPolicyVersion(ctx context.Context, in *iam.SetDefaultPolicyVersionInput) (*iam.SetDefaultPolicyVersionOutput, error) {
	c := callerOf(ctx)
	notFound := func(arn string) error { return noSuchPolicyVersion(arn, *in.VersionId) }
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := customerPolicy(tx, c, *in.PolicyArn, "iam:SetDefaultPolicyVersion", notFound)
		if err != nil {
			return err
		}
		if _, ok := p.Version(*in.VersionId); !ok {
			return notFound(*in.PolicyArn)
		}
		p.Default = *in.VersionId
		return tx.UpdatePolicy(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.SetDefaultPolicyVersionOutput{}, nil
}

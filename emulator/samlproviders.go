package emulator

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// maxSAMLProviders is the SAMLProvidersPerAccount quota
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const maxSAMLProviders = 100

// samlDefaultValidity is how long a provider whose metadata names no
// validUntil stays valid (not evidenced: AWS documents only that the
// metadata's expiration is kept).
const samlDefaultValidity = 100 * 365 * 24 * time.Hour

const samlMetadataNS = "urn:oasis:names:tc:SAML:2.0:metadata"

func samlProviderARN(partition, account, name string) string {
	return "arn:" + partition + ":iam::" + account + ":saml-provider/" + name
}

// samlMetadata is what iamlocal reads of a SAML 2.0 metadata document.
type samlMetadata struct {
	EntityID   string
	ValidUntil time.Time // zero when the document names none
	Certs      []*x509.Certificate
}

type xmlEntityDescriptor struct {
	XMLName    xml.Name
	EntityID   string `xml:"entityID,attr"`
	ValidUntil string `xml:"validUntil,attr"`
	IDPs       []struct {
		XMLName xml.Name `xml:"urn:oasis:names:tc:SAML:2.0:metadata IDPSSODescriptor"`
		Keys    []struct {
			Use   string   `xml:"use,attr"`
			Certs []string `xml:"KeyInfo>X509Data>X509Certificate"`
		} `xml:"KeyDescriptor"`
	} `xml:"IDPSSODescriptor"`
	Entities []xmlEntityDescriptor `xml:"EntityDescriptor"`
}

// parseSAMLMetadata reads a SAML 2.0 metadata document: an
// EntityDescriptor (or EntitiesDescriptor holding one) of an identity
// provider with at least one signing certificate, as AWS requires.
func parseSAMLMetadata(doc string) (*samlMetadata, error) {
	var d xmlEntityDescriptor
	if err := xml.Unmarshal([]byte(doc), &d); err != nil || d.XMLName.Space != samlMetadataNS {
		return nil, samlMetadataInvalid()
	}
	if d.XMLName.Local == "EntitiesDescriptor" && len(d.Entities) > 0 {
		d = d.Entities[0]
	}
	if d.XMLName.Local != "EntityDescriptor" || d.EntityID == "" || len(d.IDPs) == 0 {
		return nil, samlMetadataInvalid()
	}
	m := &samlMetadata{EntityID: d.EntityID}
	if d.ValidUntil != "" {
		t, err := time.Parse(time.RFC3339, d.ValidUntil)
		if err != nil {
			return nil, samlMetadataInvalid()
		}
		m.ValidUntil = t.UTC()
	}
	for _, idp := range d.IDPs {
		for _, k := range idp.Keys {
			if k.Use != "" && k.Use != "signing" {
				continue
			}
			for _, text := range k.Certs {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
				if err != nil {
					return nil, samlMetadataInvalid()
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					return nil, samlMetadataInvalid()
				}
				m.Certs = append(m.Certs, cert)
			}
		}
	}
	if len(m.Certs) == 0 {
		return nil, samlMetadataInvalid()
	}
	return m, nil
}

// validUntil is when a provider made now from m expires.
func (m *samlMetadata) validUntil(now time.Time) time.Time {
	if m.ValidUntil.IsZero() {
		return now.Add(samlDefaultValidity)
	}
	return m.ValidUntil
}

// authorizedSAMLProvider loads the provider arn names and checks that the
// caller may perform action on it.
func authorizedSAMLProvider(tx *store.Tx, c wire.Caller, arn, action string, keys ...requestKey) (*store.SAMLProvider, error) {
	name, ok := providerKeyOf(c, arn, "saml-provider")
	var p *store.SAMLProvider
	err := noSuchSAMLProvider(arn)
	if ok {
		if p, err = tx.SAMLProvider(c.Account, name); errors.Is(err, store.ErrNotFound) {
			err = noSuchSAMLProvider(arn)
		}
	}
	if err != nil {
		return nil, missingAuthorized(tx, c, action, arn, err)
	}
	return p, authorize(tx, c, action, samlProviderARN(partition(c), p.Account, p.Name), append(resourceTagKeys(p.Tags, false), keys...)...)
}

// samlProviderUUID has the model's shape of a SAML provider id: upper-case
// letters and digits, 22 or more.
func samlProviderUUID() string { return randomBase32(26) }

func (e *Emulator) CreateSAMLProvider(ctx context.Context, in *iam.CreateSAMLProviderInput) (*iam.CreateSAMLProviderOutput, error) {
	c := callerOf(ctx)
	m, err := parseSAMLMetadata(*in.SAMLMetadataDocument)
	if err != nil {
		return nil, err
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	now := e.now()
	p := &store.SAMLProvider{Account: c.Account, Name: *in.Name, UUID: samlProviderUUID(), Metadata: *in.SAMLMetadataDocument,
		Created: now, ValidUntil: m.validUntil(now), Tags: tags, EncryptionMode: string(in.AssertionEncryptionMode)}
	arn := samlProviderARN(partition(c), c.Account, p.Name)
	err = e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:CreateSAMLProvider", arn, requestTagKeys(tags)...); err != nil {
			return err
		}
		if n, err := tx.CountSAMLProviders(c.Account); err != nil {
			return err
		} else if n >= maxSAMLProviders {
			return samlProvidersQuota()
		}
		if err := tx.CreateSAMLProvider(p); errors.Is(err, store.ErrExists) {
			return samlProviderExists(p.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &iam.CreateSAMLProviderOutput{SAMLProviderArn: aws.String(arn)}
	if len(tags) > 0 {
		out.Tags = tagsOut(tags)
	}
	return out, nil
}

// GetSAMLProvider answers the fields AWS recorded: the encryption mode
// Allowed unless set, and empty PrivateKeyList and Tags.
func (e *Emulator) GetSAMLProvider(ctx context.Context, in *iam.GetSAMLProviderInput) (*iam.GetSAMLProviderOutput, error) {
	c := callerOf(ctx)
	var out *iam.GetSAMLProviderOutput
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedSAMLProvider(tx, c, *in.SAMLProviderArn, "iam:GetSAMLProvider")
		if err != nil {
			return err
		}
		mode := types.AssertionEncryptionModeTypeAllowed
		if p.EncryptionMode != "" {
			mode = types.AssertionEncryptionModeType(p.EncryptionMode)
		}
		out = &iam.GetSAMLProviderOutput{
			SAMLProviderUUID:        aws.String(p.UUID),
			SAMLMetadataDocument:    aws.String(p.Metadata),
			CreateDate:              aws.Time(p.Created),
			ValidUntil:              aws.Time(p.ValidUntil),
			Tags:                    tagsOut(p.Tags),
			AssertionEncryptionMode: mode,
			PrivateKeyList:          []types.SAMLPrivateKey{},
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Emulator) ListSAMLProviders(ctx context.Context, _ *iam.ListSAMLProvidersInput) (*iam.ListSAMLProvidersOutput, error) {
	c := callerOf(ctx)
	out := &iam.ListSAMLProvidersOutput{SAMLProviderList: []types.SAMLProviderListEntry{}}
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListSAMLProviders", "*"); err != nil {
			return err
		}
		return tx.SAMLProviders(c.Account, func(p *store.SAMLProvider) (bool, error) {
			out.SAMLProviderList = append(out.SAMLProviderList, types.SAMLProviderListEntry{
				Arn:        aws.String(samlProviderARN(partition(c), p.Account, p.Name)),
				CreateDate: aws.Time(p.Created),
				ValidUntil: aws.Time(p.ValidUntil),
			})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateSAMLProvider replaces the metadata document (and its validity)
// and the encryption mode when given.
func (e *Emulator) UpdateSAMLProvider(ctx context.Context, in *iam.UpdateSAMLProviderInput) (*iam.UpdateSAMLProviderOutput, error) {
	c := callerOf(ctx)
	var m *samlMetadata
	if in.SAMLMetadataDocument != nil {
		var err error
		if m, err = parseSAMLMetadata(*in.SAMLMetadataDocument); err != nil {
			return nil, err
		}
	}
	now := e.now()
	var arn string
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := authorizedSAMLProvider(tx, c, *in.SAMLProviderArn, "iam:UpdateSAMLProvider")
		if err != nil {
			return err
		}
		if m != nil {
			p.Metadata, p.ValidUntil = *in.SAMLMetadataDocument, m.validUntil(now)
		}
		if in.AssertionEncryptionMode != "" {
			p.EncryptionMode = string(in.AssertionEncryptionMode)
		}
		arn = samlProviderARN(partition(c), p.Account, p.Name)
		return tx.PutSAMLProvider(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateSAMLProviderOutput{SAMLProviderArn: aws.String(arn)}, nil
}

func (e *Emulator) DeleteSAMLProvider(ctx context.Context, in *iam.DeleteSAMLProviderInput) (*iam.DeleteSAMLProviderOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := authorizedSAMLProvider(tx, c, *in.SAMLProviderArn, "iam:DeleteSAMLProvider")
		if err != nil {
			return err
		}
		return tx.DeleteSAMLProvider(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteSAMLProviderOutput{}, nil
}

// samlProviderTags is the SAML providers' taggable family, named by ARN.
var samlProviderTags = taggable[store.SAMLProvider]{
	quota: "TagsPerSAMLProvider", list: "ListSAMLProviderTags",
	load:    authorizedSAMLProvider,
	tags:    func(p *store.SAMLProvider) *[]store.Tag { return &p.Tags },
	save:    func(tx *store.Tx, p *store.SAMLProvider) error { return tx.PutSAMLProvider(p) },
	tooMany: providerTagsQuota,
}

func (e *Emulator) TagSAMLProvider(ctx context.Context, in *iam.TagSAMLProviderInput) (*iam.TagSAMLProviderOutput, error) {
	if err := tagEntity(e, ctx, samlProviderTags, *in.SAMLProviderArn, "iam:TagSAMLProvider", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagSAMLProviderOutput{}, nil
}

func (e *Emulator) UntagSAMLProvider(ctx context.Context, in *iam.UntagSAMLProviderInput) (*iam.UntagSAMLProviderOutput, error) {
	if err := untagEntity(e, ctx, samlProviderTags, *in.SAMLProviderArn, "iam:UntagSAMLProvider", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagSAMLProviderOutput{}, nil
}

func (e *Emulator) ListSAMLProviderTags(ctx context.Context, in *iam.ListSAMLProviderTagsInput) (*iam.ListSAMLProviderTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, samlProviderTags, *in.SAMLProviderArn, "iam:ListSAMLProviderTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListSAMLProviderTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}

// countProviders is GetAccountSummary's Providers: OIDC and SAML ones.
func countProviders(tx *store.Tx, account string) (int, error) {
	oidc, err := tx.CountOIDCProviders(account)
	if err != nil {
		return 0, err
	}
	saml, err := tx.CountSAMLProviders(account)
	return oidc + saml, err
}

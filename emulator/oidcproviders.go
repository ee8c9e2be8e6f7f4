package emulator

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// OpenID Connect provider quotas
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	maxOIDCProviders            = 100
	maxClientIDsPerOIDCProvider = 100
	maxThumbprints              = 5
)

func oidcProviderARN(partition, account, key string) string {
	return "arn:" + partition + ":iam::" + account + ":oidc-provider/" + key
}

// oidcProviderKey is what names a provider: its URL without the scheme,
// as its ARN and GetOpenIDConnectProvider's Url show it. AWS takes only
// https URLs without a query or fragment.
func oidcProviderKey(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", invalidOIDCProviderURL()
	}
	return strings.TrimPrefix(raw, "https://"), nil
}

// providerKeyOf is the name an ARN of kind ("oidc-provider" or
// "saml-provider") gives in the caller's account, ok false for any other
// ARN.
func providerKeyOf(c wire.Caller, arn, kind string) (string, bool) {
	rest, ok := strings.CutPrefix(arn, "arn:"+arnPartition(arn)+":iam::"+c.Account+":"+kind+"/")
	return rest, ok && rest != ""
}

// authorizedOIDCProvider loads the provider arn names and checks that the
// caller may perform action on it; notFound is the action's NoSuchEntity.
func authorizedOIDCProvider(tx *store.Tx, c wire.Caller, arn, action string, notFound func(string) error, keys ...requestKey) (*store.OIDCProvider, error) {
	key, ok := providerKeyOf(c, arn, "oidc-provider")
	var p *store.OIDCProvider
	err := notFound(arn)
	if ok {
		if p, err = tx.OIDCProvider(c.Account, key); errors.Is(err, store.ErrNotFound) {
			err = notFound(arn)
		}
	}
	if err != nil {
		return nil, missingAuthorized(tx, c, action, arn, err)
	}
	return p, authorize(tx, c, action, oidcProviderARN(partition(c), p.Account, p.Key), append(resourceTagKeys(p.Tags, false), keys...)...)
}

// checkThumbprints refuses more thumbprints than AWS keeps; the model has
// checked each one's length.
func checkThumbprints(list []string) error {
	if len(list) > maxThumbprints {
		return tooManyThumbprints()
	}
	return nil
}

// addClientIDs appends the ids not yet in have, within the quota.
func addClientIDs(have []string, ids ...string) ([]string, error) {
	for _, id := range ids {
		if !slices.Contains(have, id) {
			have = append(have, id)
		}
	}
	if len(have) > maxClientIDsPerOIDCProvider {
		return nil, clientIDsQuota()
	}
	return have, nil
}

// CreateOpenIDConnectProvider registers a provider. ThumbprintList is
// optional since 2024: AWS then fetches the issuer's certificate, which
// iamlocal (without network) cannot, so the provider keeps none.
func (e *Emulator) CreateOpenIDConnectProvider(ctx context.Context, in *iam.CreateOpenIDConnectProviderInput) (*iam.CreateOpenIDConnectProviderOutput, error) {
	c := callerOf(ctx)
	key, err := oidcProviderKey(*in.Url)
	if err != nil {
		return nil, err
	}
	if err := checkThumbprints(in.ThumbprintList); err != nil {
		return nil, err
	}
	clientIDs, err := addClientIDs(nil, in.ClientIDList...)
	if err != nil {
		return nil, err
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	p := &store.OIDCProvider{Account: c.Account, Key: key, URL: *in.Url, ClientIDs: clientIDs,
		Thumbprints: in.ThumbprintList, Created: e.now(), Tags: tags}
	arn := oidcProviderARN(partition(c), c.Account, key)
	err = e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:CreateOpenIDConnectProvider", arn, requestTagKeys(tags)...); err != nil {
			return err
		}
		if n, err := tx.CountOIDCProviders(c.Account); err != nil {
			return err
		} else if n >= maxOIDCProviders {
			return oidcProvidersQuota()
		}
		if err := tx.CreateOIDCProvider(p); errors.Is(err, store.ErrExists) {
			return oidcProviderExists(p.URL)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &iam.CreateOpenIDConnectProviderOutput{OpenIDConnectProviderArn: aws.String(arn)}
	if len(tags) > 0 {
		out.Tags = tagsOut(tags)
	}
	return out, nil
}

// GetOpenIDConnectProvider answers Url without its scheme, and the lists
// and Tags even when empty, as AWS does.
func (e *Emulator) GetOpenIDConnectProvider(ctx context.Context, in *iam.GetOpenIDConnectProviderInput) (*iam.GetOpenIDConnectProviderOutput, error) {
	c := callerOf(ctx)
	var out *iam.GetOpenIDConnectProviderOutput
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedOIDCProvider(tx, c, *in.OpenIDConnectProviderArn, "iam:GetOpenIDConnectProvider", noSuchOIDCProvider)
		if err != nil {
			return err
		}
		out = &iam.GetOpenIDConnectProviderOutput{
			Url:            aws.String(p.Key),
			ClientIDList:   append([]string{}, p.ClientIDs...),
			ThumbprintList: append([]string{}, p.Thumbprints...),
			CreateDate:     aws.Time(p.Created),
			Tags:           tagsOut(p.Tags),
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Emulator) ListOpenIDConnectProviders(ctx context.Context, _ *iam.ListOpenIDConnectProvidersInput) (*iam.ListOpenIDConnectProvidersOutput, error) {
	c := callerOf(ctx)
	out := &iam.ListOpenIDConnectProvidersOutput{OpenIDConnectProviderList: []types.OpenIDConnectProviderListEntry{}}
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListOpenIDConnectProviders", "*"); err != nil {
			return err
		}
		return tx.OIDCProviders(c.Account, func(p *store.OIDCProvider) (bool, error) {
			out.OpenIDConnectProviderList = append(out.OpenIDConnectProviderList,
				types.OpenIDConnectProviderListEntry{Arn: aws.String(oidcProviderARN(partition(c), p.Account, p.Key))})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Emulator) DeleteOpenIDConnectProvider(ctx context.Context, in *iam.DeleteOpenIDConnectProviderInput) (*iam.DeleteOpenIDConnectProviderOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := authorizedOIDCProvider(tx, c, *in.OpenIDConnectProviderArn, "iam:DeleteOpenIDConnectProvider", noSuchOIDCProviderToDelete)
		if err != nil {
			return err
		}
		return tx.DeleteOIDCProvider(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteOpenIDConnectProviderOutput{}, nil
}

// updateOIDCProvider applies change to the provider arn names, authorized
// for action.
func (e *Emulator) updateOIDCProvider(ctx context.Context, arn, action string, change func(*store.OIDCProvider) error) error {
	c := callerOf(ctx)
	return e.db.Update(func(tx *store.Tx) error {
		p, err := authorizedOIDCProvider(tx, c, arn, action, noSuchOIDCProvider)
		if err != nil {
			return err
		}
		if err := change(p); err != nil {
			return err
		}
		return tx.PutOIDCProvider(p)
	})
}

// AddClientIDToOpenIDConnectProvider is idempotent: an id already there
// changes nothing, as AWS documents.
func (e *Emulator) AddClientIDToOpenIDConnectProvider(ctx context.Context, in *iam.AddClientIDToOpenIDConnectProviderInput) (*iam.AddClientIDToOpenIDConnectProviderOutput, error) {
	err := e.updateOIDCProvider(ctx, *in.OpenIDConnectProviderArn, "iam:AddClientIDToOpenIDConnectProvider", func(p *store.OIDCProvider) error {
		ids, err := addClientIDs(p.ClientIDs, *in.ClientID)
		p.ClientIDs = ids
		return err
	})
	if err != nil {
		return nil, err
	}
	return &iam.AddClientIDToOpenIDConnectProviderOutput{}, nil
}

// RemoveClientIDFromOpenIDConnectProvider is idempotent: an id not there
// is no error, as AWS documents.
func (e *Emulator) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, in *iam.RemoveClientIDFromOpenIDConnectProviderInput) (*iam.RemoveClientIDFromOpenIDConnectProviderOutput, error) {
	err := e.updateOIDCProvider(ctx, *in.OpenIDConnectProviderArn, "iam:RemoveClientIDFromOpenIDConnectProvider", func(p *store.OIDCProvider) error {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(id string) bool { return id == *in.ClientID })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.RemoveClientIDFromOpenIDConnectProviderOutput{}, nil
}

// UpdateOpenIDConnectProviderThumbprint replaces the whole list.
func (e *Emulator) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, in *iam.UpdateOpenIDConnectProviderThumbprintInput) (*iam.UpdateOpenIDConnectProviderThumbprintOutput, error) {
	if err := checkThumbprints(in.ThumbprintList); err != nil {
		return nil, err
	}
	err := e.updateOIDCProvider(ctx, *in.OpenIDConnectProviderArn, "iam:UpdateOpenIDConnectProviderThumbprint", func(p *store.OIDCProvider) error {
		p.Thumbprints = append([]string(nil), in.ThumbprintList...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateOpenIDConnectProviderThumbprintOutput{}, nil
}

// oidcProviderTags is the OIDC providers' taggable family, named by ARN.
var oidcProviderTags = taggable[store.OIDCProvider]{
	quota: "TagsPerOpenIdConnectProvider", list: "ListOpenIDConnectProviderTags",
	load: func(tx *store.Tx, c wire.Caller, arn, action string, keys ...requestKey) (*store.OIDCProvider, error) {
		return authorizedOIDCProvider(tx, c, arn, action, noSuchOIDCProvider, keys...)
	},
	tags:    func(p *store.OIDCProvider) *[]store.Tag { return &p.Tags },
	save:    func(tx *store.Tx, p *store.OIDCProvider) error { return tx.PutOIDCProvider(p) },
	tooMany: providerTagsQuota,
}

func (e *Emulator) TagOpenIDConnectProvider(ctx context.Context, in *iam.TagOpenIDConnectProviderInput) (*iam.TagOpenIDConnectProviderOutput, error) {
	if err := tagEntity(e, ctx, oidcProviderTags, *in.OpenIDConnectProviderArn, "iam:TagOpenIDConnectProvider", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagOpenIDConnectProviderOutput{}, nil
}

func (e *Emulator) UntagOpenIDConnectProvider(ctx context.Context, in *iam.UntagOpenIDConnectProviderInput) (*iam.UntagOpenIDConnectProviderOutput, error) {
	if err := untagEntity(e, ctx, oidcProviderTags, *in.OpenIDConnectProviderArn, "iam:UntagOpenIDConnectProvider", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagOpenIDConnectProviderOutput{}, nil
}

func (e *Emulator) ListOpenIDConnectProviderTags(ctx context.Context, in *iam.ListOpenIDConnectProviderTagsInput) (*iam.ListOpenIDConnectProviderTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, oidcProviderTags, *in.OpenIDConnectProviderArn, "iam:ListOpenIDConnectProviderTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListOpenIDConnectProviderTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}

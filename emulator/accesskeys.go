package emulator

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// maxAccessKeysPerUser is the AccessKeysPerUser quota; it counts active and
// inactive keys alike.
const maxAccessKeysPerUser = 2

// keyHolder is whose keys an access-key action manages: a user, or the root
// user itself (id = the account id, name empty).
type keyHolder struct {
	id, name, arn string
}

// authorizedKeyHolder resolves the holder an action names, or the caller
// when it names none, once the caller may perform action on it.
func authorizedKeyHolder(tx *store.Tx, c wire.Caller, name *string, action string) (keyHolder, error) {
	if name == nil && c.Root {
		h := keyHolder{id: c.Account, arn: c.ARN}
		return h, authorize(tx, c, action, h.arn)
	}
	u, err := authorizedTargetUser(tx, c, name, action)
	if err != nil {
		return keyHolder{}, err
	}
	return keyHolder{id: u.ID, name: u.Name, arn: arnOf(partition(c), u)}, nil
}

// listHeld loads, in one View, the holder a list action names (or the
// caller) and what load finds for it, once the caller may perform action.
func listHeld[T any](e *Emulator, c wire.Caller, name *string, action string, load func(tx *store.Tx, account, holderID string) ([]T, error)) (keyHolder, []T, error) {
	var (
		h     keyHolder
		items []T
	)
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		if h, err = authorizedKeyHolder(tx, c, name, action); err != nil {
			return err
		}
		items, err = load(tx, c.Account, h.id)
		return err
	})
	return h, items, err
}

// heldKey loads key id if it belongs to h, or AWS's NoSuchEntity for it.
func heldKey(tx *store.Tx, c wire.Caller, h keyHolder, id string) (*store.AccessKey, error) {
	k, err := tx.AccessKey(id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (k.Account != c.Account || k.UserID != h.id) {
		return nil, noSuchAccessKey(id)
	}
	return k, err
}

func (e *Emulator) CreateAccessKey(ctx context.Context, in *iam.CreateAccessKeyInput) (*iam.CreateAccessKeyOutput, error) {
	c := callerOf(ctx)
	key := &store.AccessKey{
		ID:      accessKeyID(prefixLongTermKey, c.Account),
		Account: c.Account,
		Secret:  secretKey(),
		Active:  true,
		Created: e.now(),
	}
	var h keyHolder
	err := e.db.Update(func(tx *store.Tx) error {
		var err error
		if h, err = authorizedKeyHolder(tx, c, in.UserName, "iam:CreateAccessKey"); err != nil {
			return err
		}
		keys, err := tx.AccessKeys(c.Account, h.id)
		if err != nil {
			return err
		}
		if len(keys) >= maxAccessKeysPerUser {
			return quotaExceeded("AccessKeysPerUser", maxAccessKeysPerUser)
		}
		key.UserID = h.id
		return tx.PutAccessKey(key)
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateAccessKeyOutput{AccessKey: &types.AccessKey{
		UserName:        optional(h.name),
		AccessKeyId:     aws.String(key.ID),
		Status:          types.StatusTypeActive,
		SecretAccessKey: aws.String(key.Secret),
		CreateDate:      aws.Time(key.Created),
	}}, nil
}

func (e *Emulator) ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput) (*iam.ListAccessKeysOutput, error) {
	h, keys, err := listHeld(e, callerOf(ctx), in.UserName, "iam:ListAccessKeys", (*store.Tx).AccessKeys)
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListAccessKeys", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListAccessKeysOutput{AccessKeyMetadata: make([]types.AccessKeyMetadata, len(page)), IsTruncated: next != nil, Marker: next}
	for i, k := range page {
		out.AccessKeyMetadata[i] = types.AccessKeyMetadata{
			UserName:    optional(h.name),
			AccessKeyId: aws.String(k.ID),
			Status:      statusOf(k.Active),
			CreateDate:  aws.Time(k.Created),
		}
	}
	return out, nil
}

func (e *Emulator) UpdateAccessKey(ctx context.Context, in *iam.UpdateAccessKeyInput) (*iam.UpdateAccessKeyOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		h, err := authorizedKeyHolder(tx, c, in.UserName, "iam:UpdateAccessKey")
		if err != nil {
			return err
		}
		k, err := heldKey(tx, c, h, *in.AccessKeyId)
		if err != nil {
			return err
		}
		k.Active = in.Status == types.StatusTypeActive
		return tx.PutAccessKey(k)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateAccessKeyOutput{}, nil
}

func (e *Emulator) DeleteAccessKey(ctx context.Context, in *iam.DeleteAccessKeyInput) (*iam.DeleteAccessKeyOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		h, err := authorizedKeyHolder(tx, c, in.UserName, "iam:DeleteAccessKey")
		if err != nil {
			return err
		}
		k, err := heldKey(tx, c, h, *in.AccessKeyId)
		if err != nil {
			return err
		}
		return tx.DeleteAccessKey(k)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteAccessKeyOutput{}, nil
}

func (e *Emulator) GetAccessKeyLastUsed(ctx context.Context, in *iam.GetAccessKeyLastUsedInput) (*iam.GetAccessKeyLastUsedOutput, error) {
	c := callerOf(ctx)
	id := *in.AccessKeyId
	// Pending use is read before the store: a flush that commits in between
	// is then in the View.
	pending, hasPending := e.pendingUse(id)
	var (
		k    *store.AccessKey
		name string
	)
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		k, err = tx.AccessKey(id)
		if errors.Is(err, store.ErrNotFound) || err == nil && k.Account != c.Account {
			return notAuthorized(c.ARN, "iam:GetAccessKeyLastUsed", "access key "+id)
		}
		if err != nil {
			return err
		}
		owner, err := keyOwner(tx, k)
		if err != nil {
			return err
		}
		if !owner.Root {
			name = lastSegment(owner.ARN)
		}
		// AWS names the key in its denial, in the older text it keeps for
		// this action, denied or missing alike.
		err = authorize(tx, c, "iam:GetAccessKeyLastUsed", owner.ARN)
		if hasCode(err, "AccessDenied") {
			return notAuthorized(c.ARN, "iam:GetAccessKeyLastUsed", "access key "+id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	used := latestUse(k.LastUsed, pending, hasPending)
	last := &types.AccessKeyLastUsed{Region: aws.String("N/A"), ServiceName: aws.String("N/A")}
	if used != nil {
		last = &types.AccessKeyLastUsed{LastUsedDate: aws.Time(used.Date), Region: aws.String(used.Region), ServiceName: aws.String(used.Service)}
	}
	return &iam.GetAccessKeyLastUsedOutput{UserName: optional(name), AccessKeyLastUsed: last}, nil
}

func statusOf(active bool) types.StatusType {
	if active {
		return types.StatusTypeActive
	}
	return types.StatusTypeInactive
}

// optional is nil for "", so that the element is left out.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// lastSegment is what follows the last "/" of an ARN: a user's name.
func lastSegment(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}

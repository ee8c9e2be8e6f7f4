package emulator

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// boundaryRef checks a PermissionsBoundary: a managed policy's ARN
// (InvalidInput otherwise) of a policy the account can attach (NoSuchEntity
// otherwise), and answers its ref.
func boundaryRef(tx *store.Tx, c wire.Caller, arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "policy/") {
		return "", boundaryARNInvalid(arn)
	}
	ref, _ := policyRefOf(c, arn)
	if ref != "" {
		if p, err := findPolicy(tx, c.Account, ref); err != nil || p != nil {
			return ref, err
		}
	}
	return "", boundaryNotAttachable(arn)
}

// bounded is a principal whose permissions boundary an action sets: a
// user or a role.
type bounded struct {
	kind, account, id string
	boundary          *string // the principal's Boundary field
	save              func(tx *store.Tx) error
}

func userBounded(u *store.User) bounded {
	return bounded{store.KindUser, u.Account, u.ID, &u.Boundary, func(tx *store.Tx) error { return tx.UpdateUser(u.Name, u) }}
}

func roleBounded(r *store.Role) bounded {
	return bounded{store.KindRole, r.Account, r.ID, &r.Boundary, func(tx *store.Tx) error { return tx.PutRole(r) }}
}

// loadBounded loads the principal an action names and checks that the
// caller may perform the action on it.
type loadBounded func(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (bounded, error)

func userBoundedFor(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (bounded, error) {
	u, err := authorizedUser(tx, c, name, action, keys...)
	if err != nil {
		return bounded{}, err
	}
	return userBounded(u), nil
}

func roleBoundedFor(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (bounded, error) {
	r, err := authorizedRole(tx, c, name, action, keys...)
	if err != nil {
		return bounded{}, err
	}
	return roleBounded(r), nil
}

// setBoundary sets p's boundary to ref ("" for none), with the policy's
// use, and stores p.
func setBoundary(tx *store.Tx, p bounded, ref string) error {
	old := *p.boundary
	*p.boundary = ref
	if err := p.save(tx); err != nil {
		return err
	}
	return tx.SetBoundaryUse(p.account, p.kind, p.id, old, ref)
}

// putBoundary is Put{User,Role}PermissionsBoundary.
func (e *Emulator) putBoundary(ctx context.Context, load loadBounded, name, action, arn string) error {
	c := callerOf(ctx)
	return e.db.Update(func(tx *store.Tx) error {
		p, err := load(tx, c, name, action, boundaryKey(arn)...)
		if err != nil {
			return err
		}
		ref, err := boundaryRef(tx, c, arn)
		if err != nil {
			return err
		}
		return setBoundary(tx, p, ref)
	})
}

// deleteBoundary is Delete{User,Role}PermissionsBoundary: a principal
// without one stays so (AWS's answer then is not on record).
func (e *Emulator) deleteBoundary(ctx context.Context, load loadBounded, name, action string) error {
	c := callerOf(ctx)
	return e.db.Update(func(tx *store.Tx) error {
		p, err := load(tx, c, name, action)
		if err != nil {
			return err
		}
		return setBoundary(tx, p, "")
	})
}

func (e *Emulator) PutUserPermissionsBoundary(ctx context.Context, in *iam.PutUserPermissionsBoundaryInput) (*iam.PutUserPermissionsBoundaryOutput, error) {
	if err := e.putBoundary(ctx, userBoundedFor, *in.UserName, "iam:PutUserPermissionsBoundary", *in.PermissionsBoundary); err != nil {
		return nil, err
	}
	return &iam.PutUserPermissionsBoundaryOutput{}, nil
}

func (e *Emulator) DeleteUserPermissionsBoundary(ctx context.Context, in *iam.DeleteUserPermissionsBoundaryInput) (*iam.DeleteUserPermissionsBoundaryOutput, error) {
	if err := e.deleteBoundary(ctx, userBoundedFor, *in.UserName, "iam:DeleteUserPermissionsBoundary"); err != nil {
		return nil, err
	}
	return &iam.DeleteUserPermissionsBoundaryOutput{}, nil
}

func (e *Emulator) PutRolePermissionsBoundary(ctx context.Context, in *iam.PutRolePermissionsBoundaryInput) (*iam.PutRolePermissionsBoundaryOutput, error) {
	if err := e.putBoundary(ctx, roleBoundedFor, *in.RoleName, "iam:PutRolePermissionsBoundary", *in.PermissionsBoundary); err != nil {
		return nil, err
	}
	return &iam.PutRolePermissionsBoundaryOutput{}, nil
}

func (e *Emulator) DeleteRolePermissionsBoundary(ctx context.Context, in *iam.DeleteRolePermissionsBoundaryInput) (*iam.DeleteRolePermissionsBoundaryOutput, error) {
	if err := e.deleteBoundary(ctx, roleBoundedFor, *in.RoleName, "iam:DeleteRolePermissionsBoundary"); err != nil {
		return nil, err
	}
	return &iam.DeleteRolePermissionsBoundaryOutput{}, nil
}

// boundaryOut is the SDK view of a boundary ref, nil for none.
func boundaryOut(partition, ref string) *types.AttachedPermissionsBoundary {
	if ref == "" {
		return nil
	}
	return &types.AttachedPermissionsBoundary{
		PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy,
		PermissionsBoundaryArn:  aws.String("arn:" + partition + ":" + ref),
	}
}

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

// setUserBoundary sets u's boundary to ref ("" for none), with the
// policy's use, and stores u.
func setUserBoundary(tx *store.Tx, u *store.User, ref string) error {
	old := u.Boundary
	u.Boundary = ref
	if err := tx.UpdateUser(u.Name, u); err != nil {
		return err
	}
	return tx.SetBoundaryUse(u.Account, store.KindUser, u.ID, old, ref)
}

func (e *Emulator) PutUserPermissionsBoundary(ctx context.Context, in *iam.PutUserPermissionsBoundaryInput) (*iam.PutUserPermissionsBoundaryOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:PutUserPermissionsBoundary", boundaryKey(*in.PermissionsBoundary)...)
		if err != nil {
			return err
		}
		ref, err := boundaryRef(tx, c, *in.PermissionsBoundary)
		if err != nil {
			return err
		}
		return setUserBoundary(tx, u, ref)
	})
	if err != nil {
		return nil, err
	}
	return &iam.PutUserPermissionsBoundaryOutput{}, nil
}

// DeleteUserPermissionsBoundary removes the boundary; a user without one
// stays so (AWS's answer then is not on record).
func (e *Emulator) DeleteUserPermissionsBoundary(ctx context.Context, in *iam.DeleteUserPermissionsBoundaryInput) (*iam.DeleteUserPermissionsBoundaryOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:DeleteUserPermissionsBoundary")
		if err != nil {
			return err
		}
		return setUserBoundary(tx, u, "")
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteUserPermissionsBoundaryOutput{}, nil
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

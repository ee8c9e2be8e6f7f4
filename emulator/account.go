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

// defaultMinimumPasswordLength is what UpdateAccountPasswordPolicy sets
// when it is not given one (aws-facts §4).
const defaultMinimumPasswordLength = 6

func (e *Emulator) UpdateAccountPasswordPolicy(ctx context.Context, in *iam.UpdateAccountPasswordPolicyInput) (*iam.UpdateAccountPasswordPolicyOutput, error) {
	c := wire.CallerFrom(ctx)
	p := &store.PasswordPolicy{
		MinimumLength:      int(aws.ToInt32(in.MinimumPasswordLength)),
		RequireSymbols:     in.RequireSymbols,
		RequireNumbers:     in.RequireNumbers,
		RequireUppercase:   in.RequireUppercaseCharacters,
		RequireLowercase:   in.RequireLowercaseCharacters,
		AllowUsersToChange: in.AllowUsersToChangePassword,
		MaxAge:             int(aws.ToInt32(in.MaxPasswordAge)),
		ReusePrevention:    int(aws.ToInt32(in.PasswordReusePrevention)),
		HardExpiry:         in.HardExpiry,
	}
	if in.MinimumPasswordLength == nil {
		p.MinimumLength = defaultMinimumPasswordLength
	}
	err := e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:UpdateAccountPasswordPolicy", "*"); err != nil {
			return err
		}
		return tx.PutPasswordPolicy(c.Account, p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateAccountPasswordPolicyOutput{}, nil
}

func (e *Emulator) GetAccountPasswordPolicy(ctx context.Context, _ *iam.GetAccountPasswordPolicyInput) (*iam.GetAccountPasswordPolicyOutput, error) {
	c := wire.CallerFrom(ctx)
	var p *store.PasswordPolicy
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:GetAccountPasswordPolicy", "*"); err != nil {
			return err
		}
		var err error
		if p, err = tx.PasswordPolicy(c.Account); errors.Is(err, store.ErrNotFound) {
			return noPasswordPolicy(c.Account)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetAccountPasswordPolicyOutput{PasswordPolicy: passwordPolicyOut(p)}, nil
}

// passwordPolicyOut leaves out MaxPasswordAge and PasswordReusePrevention
// when they are not set, as AWS does.
func passwordPolicyOut(p *store.PasswordPolicy) *types.PasswordPolicy {
	out := &types.PasswordPolicy{
		MinimumPasswordLength:      aws.Int32(int32(p.MinimumLength)),
		RequireSymbols:             p.RequireSymbols,
		RequireNumbers:             p.RequireNumbers,
		RequireUppercaseCharacters: p.RequireUppercase,
		RequireLowercaseCharacters: p.RequireLowercase,
		AllowUsersToChangePassword: p.AllowUsersToChange,
		ExpirePasswords:            p.MaxAge > 0,
		HardExpiry:                 p.HardExpiry,
	}
	if p.MaxAge > 0 {
		out.MaxPasswordAge = aws.Int32(int32(p.MaxAge))
	}
	if p.ReusePrevention > 0 {
		out.PasswordReusePrevention = aws.Int32(int32(p.ReusePrevention))
	}
	return out
}

func (e *Emulator) DeleteAccountPasswordPolicy(ctx context.Context, _ *iam.DeleteAccountPasswordPolicyInput) (*iam.DeleteAccountPasswordPolicyOutput, error) {
	c := wire.CallerFrom(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:DeleteAccountPasswordPolicy", "*"); err != nil {
			return err
		}
		if err := tx.DeletePasswordPolicy(c.Account); errors.Is(err, store.ErrNotFound) {
			return noPasswordPolicyToDelete()
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteAccountPasswordPolicyOutput{}, nil
}

// accountQuotas are the fixed entries of GetAccountSummary: AWS's default
// quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
var accountQuotas = map[string]int32{
	"AccessKeysPerUserQuota":          maxAccessKeysPerUser,
	"AssumeRolePolicySizeQuota":       2048,
	"AttachedPoliciesPerGroupQuota":   10,
	"AttachedPoliciesPerRoleQuota":    10,
	"AttachedPoliciesPerUserQuota":    10,
	"GlobalEndpointTokenVersion":      1,
	"GroupPolicySizeQuota":            5120,
	"GroupsPerUserQuota":              10,
	"GroupsQuota":                     300,
	"InstanceProfilesQuota":           1000,
	"PoliciesQuota":                   1500,
	"PolicySizeQuota":                 6144,
	"PolicyVersionsInUseQuota":        10000,
	"RolePolicySizeQuota":             10240,
	"RolesQuota":                      1000,
	"ServerCertificatesQuota":         20,
	"SigningCertificatesPerUserQuota": 2,
	"UserPolicySizeQuota":             2048,
	"VersionsPerPolicyQuota":          5,
}

// GetAccountSummary counts what the account holds next to its quotas.
// Entities iamlocal does not model yet (groups, roles, policies, instance
// profiles, providers, server certificates) count zero, which
// is what the account holds of them.
func (e *Emulator) GetAccountSummary(ctx context.Context, _ *iam.GetAccountSummaryInput) (*iam.GetAccountSummaryOutput, error) {
	c := wire.CallerFrom(ctx)
	summary := make(map[string]int32, len(accountQuotas)+16)
	for k, v := range accountQuotas {
		summary[k] = v
	}
	summary["MFADevices"], summary["MFADevicesInUse"] = 0, 0
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:GetAccountSummary", "*"); err != nil {
			return err
		}
		summary["Users"] = int32(tx.CountUsers(c.Account))
		summary["UsersQuota"] = int32(e.opts.maxUsers())
		return tx.MFADevices(c.Account, "", func(d *store.MFADevice) (bool, error) {
			summary["MFADevices"]++
			if d.UserID != "" {
				summary["MFADevicesInUse"]++
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"Groups", "Roles", "Policies", "PolicyVersionsInUse", "InstanceProfiles", "Providers",
		"ServerCertificates", "AccountMFAEnabled", "AccountSigningCertificatesPresent"} {
		summary[k] = 0
	}
	// The root user always has its configured access key and, as on AWS, a
	// password.
	summary["AccountAccessKeysPresent"] = 1
	summary["AccountPasswordPresent"] = 1
	return &iam.GetAccountSummaryOutput{SummaryMap: summary}, nil
}

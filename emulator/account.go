package emulator

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
)

// defaultMinimumPasswordLength is what UpdateAccountPasswordPolicy sets
// when it is not given one (aws-facts §4).
const defaultMinimumPasswordLength = 6

func (e *Emulator) UpdateAccountPasswordPolicy(ctx context.Context, in *iam.UpdateAccountPasswordPolicyInput) (*iam.UpdateAccountPasswordPolicyOutput, error) {
	c := callerOf(ctx)
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
	c := callerOf(ctx)
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
	c := callerOf(ctx)
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

// Quotas of the resource families iamlocal does not model yet: they move
// beside their family's code when it lands
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	maxAttachedPoliciesPerEntity = 10 // per user, group and role
	maxPolicies                  = 1500
	maxPolicyVersionsInUse       = 10000
	maxVersionsPerPolicy         = 5
	maxSigningCertsPerUser       = 2
	maxPolicySize                = 6144
	globalEndpointTokenVersion   = 1
)

// accountCounts is what GetAccountSummary counts in the account.
type accountCounts struct {
	users, mfaDevices, mfaDevicesInUse int
	groups                             int
	policies, policyVersionsInUse      int
	rootKeys, rootCerts                bool
	serverCertificates                 int
	providers                          int // OIDC and SAML
	roles, instanceProfiles            int
}

func countAccount(tx *store.Tx, account string) (accountCounts, error) {
	n := accountCounts{users: tx.CountUsers(account), groups: tx.CountGroups(account), policies: tx.CountPolicies(account),
		roles: tx.CountRoles(account), instanceProfiles: tx.CountInstanceProfiles(account)}
	var err error
	if n.policyVersionsInUse, err = tx.CountAttachments(account); err != nil {
		return n, err
	}
	rootKeys, err := tx.AccessKeys(account, account)
	if err != nil {
		return n, err
	}
	n.rootKeys = len(rootKeys) > 0
	rootCerts, err := tx.SigningCertificates(account, account)
	if err != nil {
		return n, err
	}
	n.rootCerts = len(rootCerts) > 0
	if n.serverCertificates, err = tx.CountServerCertificates(account); err != nil {
		return n, err
	}
	if n.providers, err = countProviders(tx, account); err != nil {
		return n, err
	}
	err = tx.MFADevices(account, "", func(d *store.MFADevice) (bool, error) {
		n.mfaDevices++
		if d.UserID != "" {
			n.mfaDevicesInUse++
		}
		return true, nil
	})
	return n, err
}

// summaryValue is one entry of GetAccountSummary. Entities iamlocal does
// not model count zero, which is
// what the account holds of them.
func (e *Emulator) summaryValue(k types.SummaryKeyType, n accountCounts) int32 {
	switch k {
	case types.SummaryKeyTypeUsers:
		return int32(n.users)
	case types.SummaryKeyTypeGroups:
		return int32(n.groups)
	case types.SummaryKeyTypeRoles:
		return int32(n.roles)
	case types.SummaryKeyTypeInstanceProfiles:
		return int32(n.instanceProfiles)
	case types.SummaryKeyTypePolicies:
		return int32(n.policies)
	case types.SummaryKeyTypePolicyVersionsInUse:
		// Inferred: one per attachment of a managed policy, AWS managed
		// ones included (creating a policy and attaching it once raised it
		// by one on AWS; accounts with few customer policies report more).
		return int32(n.policyVersionsInUse)
	case types.SummaryKeyTypeUsersQuota:
		return int32(e.opts.maxUsers())
	case types.SummaryKeyTypeMFADevices:
		return int32(n.mfaDevices)
	case types.SummaryKeyTypeMFADevicesInUse:
		return int32(n.mfaDevicesInUse)
	case types.SummaryKeyTypeAccountAccessKeysPresent:
		// The configured root credential is the emulator's, as a fresh
		// AWS account has no root access key: only keys root made for
		// itself with CreateAccessKey count.
		return boolInt(n.rootKeys)
	case types.SummaryKeyTypeAccountSigningCertificatesPresent:
		return boolInt(n.rootCerts) // the root user's own, as for access keys
	case types.SummaryKeyTypeAccountPasswordPresent:
		return 1 // the root user has a password, as on AWS
	case types.SummaryKeyTypeAccessKeysPerUserQuota:
		return maxAccessKeysPerUser
	case types.SummaryKeyTypeAttachedPoliciesPerGroupQuota, types.SummaryKeyTypeAttachedPoliciesPerRoleQuota,
		types.SummaryKeyTypeAttachedPoliciesPerUserQuota:
		return maxAttachedPoliciesPerEntity
	case types.SummaryKeyTypeGroupsPerUserQuota:
		return maxGroupsPerUser
	case types.SummaryKeyTypeGroupsQuota:
		return maxGroups
	case types.SummaryKeyTypeRolesQuota:
		return maxRoles
	case types.SummaryKeyTypeInstanceProfilesQuota:
		return maxInstanceProfiles
	case types.SummaryKeyTypePoliciesQuota:
		return maxPolicies
	case types.SummaryKeyTypePolicyVersionsInUseQuota:
		return maxPolicyVersionsInUse
	case types.SummaryKeyTypeVersionsPerPolicyQuota:
		return maxVersionsPerPolicy
	case types.SummaryKeyTypeServerCertificates:
		return int32(n.serverCertificates)
	case types.SummaryKeyTypeProviders:
		return int32(n.providers)
	case types.SummaryKeyTypeServerCertificatesQuota:
		return maxServerCertificates
	case types.SummaryKeyTypeSigningCertificatesPerUserQuota:
		return maxSigningCertsPerUser
	case types.SummaryKeyTypeUserPolicySizeQuota:
		return maxUserPolicySize
	case types.SummaryKeyTypeGroupPolicySizeQuota:
		return maxGroupPolicySize
	case types.SummaryKeyTypeRolePolicySizeQuota:
		return maxRolePolicySize
	case types.SummaryKeyTypePolicySizeQuota:
		return maxPolicySize
	case types.SummaryKeyTypeAssumeRolePolicySizeQuota:
		return maxAssumeRolePolicySize
	case types.SummaryKeyTypeGlobalEndpointTokenVersion:
		return globalEndpointTokenVersion
	}
	return 0
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// GetAccountSummary counts what the account holds next to its quotas: one
// entry for every SummaryKeyType the API defines.
func (e *Emulator) GetAccountSummary(ctx context.Context, _ *iam.GetAccountSummaryInput) (*iam.GetAccountSummaryOutput, error) {
	c := callerOf(ctx)
	var n accountCounts
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:GetAccountSummary", "*"); err != nil {
			return err
		}
		var err error
		n, err = countAccount(tx, c.Account)
		return err
	})
	if err != nil {
		return nil, err
	}
	keys := types.SummaryKeyType("").Values()
	summary := make(map[string]int32, len(keys))
	for _, k := range keys {
		summary[string(k)] = e.summaryValue(k, n)
	}
	return &iam.GetAccountSummaryOutput{SummaryMap: summary}, nil
}

package emulator

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// GetSessionToken and GetFederationToken lifetimes (STS API reference):
// 12 hours by default, 36 at most, one hour for root.
const (
	defaultTokenSeconds = 43200
	maxRootTokenSeconds = 3600
)

// GetCallerIdentity needs no permission: AWS answers it even when every
// action is denied. Sessions answer as their assumed-role or federated
// user (the Caller their key resolved to).
func (e *Emulator) GetCallerIdentity(ctx context.Context, _ *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
	c := callerOf(ctx)
	return &sts.GetCallerIdentityOutput{UserId: aws.String(c.UserID), Account: aws.String(c.Account), Arn: aws.String(c.ARN)}, nil
}

// GetAccessKeyInfo reads the account out of the key id itself, as AWS does,
// so it answers for any key id, known here or not.
func (e *Emulator) GetAccessKeyInfo(_ context.Context, in *sts.GetAccessKeyInfoInput) (*sts.GetAccessKeyInfoOutput, error) {
	account, ok := accountOfKeyID(*in.AccessKeyId)
	if !ok {
		return nil, invalidAccessKeyID()
	}
	return &sts.GetAccessKeyInfoOutput{Account: aws.String(account)}, nil
}

// GetSessionToken needs no permission (IAM User Guide, "Permissions for
// GetSessionToken"). Credentials it makes without MFA serve STS only.
func (e *Emulator) GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput) (*sts.GetSessionTokenOutput, error) {
	c := callerOf(ctx)
	d, err := tokenDuration(c, "GetSessionToken", in.DurationSeconds)
	if err != nil {
		return nil, err
	}
	cr, now := newSessionCredentials(c.Account), e.clock.Now()
	var s *store.Session
	err = e.db.Update(func(tx *store.Tx) error {
		s = newSession(cr, c.Account, store.SessionToken, now, d)
		s.PrincipalID, s.Root = c.UserID, c.Root
		if in.SerialNumber != nil || in.TokenCode != nil {
			if !acceptMFACode(tx, c, aws.ToString(in.SerialNumber), aws.ToString(in.TokenCode), now) {
				return sessionTokenMFAFailed()
			}
			s.MFA, s.MFATime = true, s.Issued
		}
		return putSession(tx, s)
	})
	if err != nil {
		return nil, err
	}
	return &sts.GetSessionTokenOutput{Credentials: credentialsOut(s)}, nil
}

// tokenDuration is the lifetime of the session GetSessionToken or
// GetFederationToken (action) issues: the model bounds it to 900–129600
// seconds; root gets at most one hour. Session credentials may call
// neither.
func tokenDuration(c wire.Caller, action string, seconds *int32) (time.Duration, error) {
	if isTemporaryKey(c.AccessKeyID) {
		return 0, notWithSessionCredentials(action)
	}
	root := c.Root
	if seconds == nil {
		if root {
			return maxRootTokenSeconds * time.Second, nil
		}
		return defaultTokenSeconds * time.Second, nil
	}
	if root && *seconds > maxRootTokenSeconds {
		return 0, rootSessionTooLong(*seconds)
	}
	return time.Duration(*seconds) * time.Second, nil
}

// GetFederationToken issues a federated user session: it may do what both
// the calling user's policies and the session policies allow; without a
// session policy, nothing.
func (e *Emulator) GetFederationToken(ctx context.Context, in *sts.GetFederationTokenInput) (*sts.GetFederationTokenOutput, error) {
	c := callerOf(ctx)
	d, err := tokenDuration(c, "GetFederationToken", in.DurationSeconds)
	if err != nil {
		return nil, err
	}
	sp, err := newSessionPolicies(in.Policy, in.PolicyArns, in.Tags)
	if err != nil {
		return nil, err
	}
	arn := federatedUserARN(partition(c), c.Account, *in.Name)
	cr, now := newSessionCredentials(c.Account), e.clock.Now()
	var s *store.Session
	err = e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "sts:GetFederationToken", arn, requestTagKeys(sp.tags)...); err != nil {
			return err
		}
		if len(sp.tags) > 0 {
			if err := authorize(tx, c, "sts:TagSession", arn, requestTagKeys(sp.tags)...); err != nil {
				return err
			}
		}
		s = newSession(cr, c.Account, store.SessionFederated, now, d)
		s.PrincipalID, s.Root, s.Name = c.UserID, c.Root, *in.Name
		s.Policy, s.PolicyARNs, s.Tags = sp.policy, sp.arns, sp.tags
		return putSession(tx, s)
	})
	if err != nil {
		return nil, err
	}
	return &sts.GetFederationTokenOutput{
		Credentials:      credentialsOut(s),
		FederatedUser:    &ststypes.FederatedUser{Arn: aws.String(arn), FederatedUserId: aws.String(c.Account + ":" + *in.Name)},
		PackedPolicySize: aws.Int32(int32(sp.packed)),
	}, nil
}

// AssumeRole issues a role session to a user or a role session whose own
// policies and the role's trust policy allow it (issueRoleSession).
func (e *Emulator) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput) (*sts.AssumeRoleOutput, error) {
	c := callerOf(ctx)
	if !validARN(*in.RoleArn) {
		return nil, roleARNInvalid(*in.RoleArn)
	}
	if c.Root {
		return nil, rootMayNotAssumeRoles()
	}
	sp, err := newSessionPolicies(in.Policy, in.PolicyArns, in.Tags)
	if err != nil {
		return nil, err
	}
	transitive, err := transitiveTagKeys(in.TransitiveTagKeys, sp.tags)
	if err != nil {
		return nil, err
	}
	caller, err := e.callerSession(c)
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	req := &RoleSessionRequest{RoleARN: *in.RoleArn, SessionName: *in.RoleSessionName,
		Duration: time.Duration(aws.ToInt32(in.DurationSeconds)) * time.Second,
		Policy:   sp.policy, PolicyARNs: sp.arns, Tags: sp.tags, TransitiveTagKeys: transitive,
		SourceIdentity: aws.ToString(in.SourceIdentity), Caller: caller, Region: c.Region}
	if caller != nil && caller.MFA {
		req.MFA, req.MFATime = true, caller.MFATime
	} else if at, ok := consoleMFATime(c); ok {
		req.MFA, req.MFATime = true, at
	}
	req.Admit = func(tx *store.Tx, role *store.Role) error {
		if in.SerialNumber != nil || in.TokenCode != nil {
			if !acceptMFACode(tx, c, aws.ToString(in.SerialNumber), aws.ToString(in.TokenCode), now) {
				return assumeRoleMFAFailed()
			}
			req.MFA, req.MFATime = true, now.Truncate(time.Second)
		}
		return authorizeAssumeRole(tx, c, req, role, now, assumeRoleKeys(in, req, sp.tags))
	}
	s, role, err := e.issueRoleSession(req)
	if err != nil {
		return nil, err
	}
	out := &sts.AssumeRoleOutput{Credentials: credentialsOut(s), AssumedRoleUser: assumedRoleUserOut(partition(c), role, s)}
	if sp.given {
		out.PackedPolicySize = aws.Int32(int32(sp.packed))
	}
	if s.SourceIdentity != "" {
		out.SourceIdentity = aws.String(s.SourceIdentity)
	}
	return out, nil
}

// assumeRoleKeys are AssumeRole's request context keys for the trust
// policy and the caller's policies.
func assumeRoleKeys(in *sts.AssumeRoleInput, req *RoleSessionRequest, tags []store.Tag) []requestKey {
	keys := append(requestTagKeys(tags), requestKey{"sts:RoleSessionName", []string{req.SessionName}})
	if in.ExternalId != nil {
		keys = append(keys, requestKey{"sts:ExternalId", []string{*in.ExternalId}})
	}
	if req.SourceIdentity != "" {
		keys = append(keys, requestKey{"sts:SourceIdentity", []string{req.SourceIdentity}})
	}
	if len(req.TransitiveTagKeys) > 0 {
		keys = append(keys, requestKey{"sts:TransitiveTagKeys", req.TransitiveTagKeys})
	}
	return keys
}

// callerSession is the session of a caller signing with temporary
// credentials, nil for long-term ones. Sessions never change once stored,
// so reading it before the issuing transaction is safe.
func (e *Emulator) callerSession(c wire.Caller) (*store.Session, error) {
	if !isTemporaryKey(c.AccessKeyID) {
		return nil, nil
	}
	var s *store.Session
	err := e.db.View(func(tx *store.Tx) (err error) { s, err = sessionOf(tx, c); return err })
	return s, err
}

// acceptMFACode checks a code of the virtual MFA device serial, which
// must be assigned to the calling user, and marks its step used: each
// code works once, as EnableMFADevice's do. It accepts the current and
// the previous 30-second step (aws-facts §4), shifted by the device's
// measured drift.
func acceptMFACode(tx *store.Tx, c wire.Caller, serial, code string, now time.Time) bool {
	if serial == "" || code == "" || c.Root {
		return false
	}
	d, err := deviceBySerial(tx, partition(c), c.Account, serial)
	if err != nil || d.UserID == "" || d.UserID != callerUserID(tx, c) {
		return false
	}
	base := stepOf(now) + d.Drift
	for s := max(base-1, d.LastStep+1); s <= base; s++ {
		if sameCode(codeAt(d.Seed, s), code) {
			d.LastStep = s
			return tx.PutMFADevice(d) == nil
		}
	}
	return false
}

// callerUserID is the IAM user a caller acts for: the user, or the user
// of a GetSessionToken session; "" for roles and federated users.
func callerUserID(tx *store.Tx, c wire.Caller) string {
	s, err := sessionOf(tx, c)
	switch {
	case err != nil:
		return ""
	case s == nil:
		return c.UserID
	case s.Kind == store.SessionToken:
		return s.PrincipalID
	}
	return ""
}

package emulator

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// roleAccount is the account a role ARN names ("" when it names none).
func roleAccount(arn string) string {
	account, _, _, ok := parseRoleARN(arn)
	if !ok {
		return ""
	}
	return account
}

// admitFederated decides a web identity or SAML caller against the role's
// trust policy alone: the caller is the provider (a Federated principal),
// with the token's or assertion's claims as context keys. A missing role
// is the same denial, as AWS does not reveal whether a role exists.
func (e *Emulator) admitFederated(role *store.Role, c wire.Caller, action, providerARN string, now time.Time, keys []requestKey) error {
	denied := federatedNotAuthorized(action)
	if role == nil {
		return denied
	}
	if e.opts.Enforce == EnforceOff {
		return nil
	}
	trust := compiled("trust:"+role.Name, role.TrustPolicy)
	if trust == nil {
		return denied
	}
	ctx := map[string][]string{
		"aws:currenttime":     {now.UTC().Format(time.RFC3339)},
		"aws:epochtime":       {strconv.FormatInt(now.Unix(), 10)},
		"aws:securetransport": {strconv.FormatBool(c.Secure)},
	}
	if c.SourceIP != "" {
		ctx["aws:sourceip"] = []string{c.SourceIP}
	}
	for _, k := range keys {
		ctx[strings.ToLower(k.name)] = k.values
	}
	r := policy.Request{Action: action, Resource: roleARN(arnPartition(providerARN), role.Account, role.Path, role.Name),
		Context: ctx, Principal: policy.Caller{Type: "Federated", ID: providerARN}}
	d := policy.Evaluate(&r, &policy.PolicySet{Resource: trust, ResourceMustAllow: true})
	if d.Allowed {
		return nil
	}
	if e.opts.Enforce == EnforceAudit {
		e.log.Warn("audit: would deny", "action", action, "principal", providerARN, "resource", r.Resource)
		return nil
	}
	return denied
}

// federatedRequest checks what AssumeRoleWithWebIdentity and
// AssumeRoleWithSAML share (the role ARN's shape, the session policies)
// and starts their session request; the caller adds the session name and
// Admit.
func federatedRequest(c wire.Caller, roleARN string, seconds *int32, doc *string, arns []ststypes.PolicyDescriptorType) (*RoleSessionRequest, sessionPolicies, error) {
	if !validARN(roleARN) {
		return nil, sessionPolicies{}, roleARNInvalid(roleARN)
	}
	sp, err := newSessionPolicies(doc, arns, nil)
	if err != nil {
		return nil, sp, err
	}
	return &RoleSessionRequest{RoleARN: roleARN, Duration: time.Duration(aws.ToInt32(seconds)) * time.Second,
		Policy: sp.policy, PolicyARNs: sp.arns, Region: c.Region}, sp, nil
}

// AssumeRoleWithWebIdentity issues a role session for a verified OIDC token
// (verifyWebIdentityToken) whose provider the role's trust policy allows.
// The request is unsigned, as AWS serves it.
func (e *Emulator) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	c := callerOf(ctx)
	req, sp, err := federatedRequest(c, *in.RoleArn, in.DurationSeconds, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	k, err := e.issuerKeys()
	if err != nil {
		return nil, err
	}
	req.SessionName = *in.RoleSessionName
	account := roleAccount(*in.RoleArn)
	now := e.clock.Now()
	var id *webIdentity
	var providerARN string
	req.Admit = func(tx *store.Tx, role *store.Role) error {
		var err error
		if id, err = verifyWebIdentityToken(tx, account, k, *in.WebIdentityToken, now); err != nil {
			return err
		}
		providerARN = oidcProviderARN(arnPartition(*in.RoleArn), account, id.Provider.Key)
		keys := append(slices.Clone(id.ContextKeys), requestKey{"sts:RoleSessionName", []string{req.SessionName}})
		return e.admitFederated(role, c, "sts:AssumeRoleWithWebIdentity", providerARN, now, keys)
	}
	s, role, err := e.issueRoleSession(req)
	if err != nil {
		return nil, err
	}
	out := &sts.AssumeRoleWithWebIdentityOutput{
		Credentials: credentialsOut(s), AssumedRoleUser: assumedRoleUserOut(arnPartition(*in.RoleArn), role, s),
		SubjectFromWebIdentityToken: aws.String(id.Subject), Provider: aws.String(providerARN), Audience: aws.String(id.Audience),
	}
	if sp.given {
		out.PackedPolicySize = aws.Int32(int32(sp.packed))
	}
	return out, nil
}

// AssumeRoleWithSAML issues a role session for a verified SAML assertion
// (verifySAMLAssertion) of the provider PrincipalArn names, whose Role
// attribute pairs that provider with RoleArn, and which the role's trust
// policy allows. The request is unsigned, as AWS serves it.
func (e *Emulator) AssumeRoleWithSAML(ctx context.Context, in *sts.AssumeRoleWithSAMLInput) (*sts.AssumeRoleWithSAMLOutput, error) {
	c := callerOf(ctx)
	req, sp, err := federatedRequest(c, *in.RoleArn, in.DurationSeconds, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	var id *samlIdentity
	req.Admit = func(tx *store.Tx, role *store.Role) error {
		var err error
		if id, err = verifySAMLAssertion(tx, *in.PrincipalArn, *in.SAMLAssertion, now); err != nil {
			return err
		}
		req.SessionName = id.SessionName()
		if !samlRolePaired(id.Roles(), *in.RoleArn, *in.PrincipalArn) {
			return federatedNotAuthorized("sts:AssumeRoleWithSAML")
		}
		keys := append(slices.Clone(id.ContextKeys), requestKey{"sts:RoleSessionName", []string{req.SessionName}})
		return e.admitFederated(role, c, "sts:AssumeRoleWithSAML", *in.PrincipalArn, now, keys)
	}
	s, role, err := e.issueRoleSession(req)
	if err != nil {
		return nil, err
	}
	out := &sts.AssumeRoleWithSAMLOutput{
		Credentials: credentialsOut(s), AssumedRoleUser: assumedRoleUserOut(arnPartition(*in.RoleArn), role, s),
		Subject: aws.String(id.Subject), SubjectType: aws.String(id.SubjectType), Issuer: aws.String(id.Issuer),
		Audience: aws.String(id.Audience), NameQualifier: aws.String(id.NameQualifier),
	}
	if sp.given {
		out.PackedPolicySize = aws.Int32(int32(sp.packed))
	}
	return out, nil
}

// samlRolePaired reports whether one of the Role attribute's values pairs
// role and provider ("role-arn,provider-arn", in either order, as AWS
// accepts).
func samlRolePaired(values []string, role, provider string) bool {
	for _, v := range values {
		a, b, ok := strings.Cut(v, ",")
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if ok && (a == role && b == provider || a == provider && b == role) {
			return true
		}
	}
	return false
}

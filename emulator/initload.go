package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

// fixedKeyID is what an init file may give as an access key id: test
// tools use short fake ids such as FOOBARKEY, and SigV4's Credential=
// carries word characters only.
var fixedKeyID = regexp.MustCompile(`^\w{3,128}$`)

// InitError is an init file refused: Path names the place in the file
// (accounts[0].users[1].attachedPolicies[0]), Err says why, in the API's
// words when the API refused it.
type InitError struct {
	Path string
	Err  error
}

func (e *InitError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InitError) Unwrap() error { return e.Err }

// ApplyInit replaces the whole state with s, or leaves it as it was when s
// is refused. s is applied through the IAM API as each account's root, in
// a scratch state file, so every check and every refusal text is the
// API's; only what the API cannot do is written directly: access keys
// with fixed ids and secrets, MFA devices with known seeds, password
// hashes and service credentials' secret digests, a server certificate
// given without its private key (over a stand-in the API took), and the
// ids, dates and names an export recorded. The scratch file's
// contents then replace this one's in one transaction. As a reset does, it
// drops sessions and brings the clock back to real time.
func (e *Emulator) ApplyInit(s *initstate.State) error {
	dir, err := os.MkdirTemp("", "iamlocal-init-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	scratch, err := store.Open(filepath.Join(dir, "state.db"), store.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer scratch.Close()
	b := &initBuilder{db: scratch, now: timeAfterReset(e.clock), clock: new(Clock), ids: map[string]string{}, given: map[string]string{}, opts: e.opts, known: e.knownAccount}
	for i := range s.Accounts {
		if err := b.account(fmt.Sprintf("accounts[%d]", i), &s.Accounts[i]); err != nil {
			return err
		}
	}
	e.forgetUsage()
	if err := e.db.ReplaceData(scratch, b.renamer()); err != nil {
		return err
	}
	e.resetClock()
	return nil
}

// timeAfterReset is what c reads once a reset brought it back: real time,
// or its start time (NewClockAt).
func timeAfterReset(c *Clock) time.Time {
	t := time.Now()
	if s := c.start.Load(); s != nil {
		t = s.start
	}
	return t.UTC().Truncate(time.Second)
}

// knownAccount tells whether id is an account of this server: an init
// file fills only those.
func (e *Emulator) knownAccount(id string) bool { return e.opts.Serves(id) }

// initBuilder applies an init file to a scratch state file.
type initBuilder struct {
	db    *store.DB
	now   time.Time // the date of what the file gives no date for
	clock *Clock    // the scratch emulators' clock, pinned to each entity's date
	// ids maps the ids the scratch emulator made to the ids the file
	// records, for ReplaceData to rename.
	ids map[string]string
	// given are the ids keepID was given so far, with where.
	given map[string]string
	opts  Options
	known func(account string) bool // Emulator.knownAccount
	// current account's emulator and client
	emu *Emulator
	iam *iam.Client
	// keys are the access key ids given so far, with where.
	keys map[string]string
}

func (b *initBuilder) renamer() *strings.Replacer {
	if len(b.ids) == 0 {
		return nil
	}
	pairs := make([]string, 0, 2*len(b.ids))
	for from, to := range b.ids {
		pairs = append(pairs, from, to)
	}
	return strings.NewReplacer(pairs...)
}

// at pins the scratch clock to t, or to the time of the apply.
func (b *initBuilder) at(t *time.Time) {
	when := b.now
	if t != nil {
		when = t.UTC()
	}
	b.clock.pinned.Store(&when)
}

// keep records that the entity the scratch emulator gave id made should
// have id want (when the file gives one).
func (b *initBuilder) keep(made *string, want string) {
	if want != "" && made != nil && *made != want {
		b.ids[*made] = want
	}
}

func (b *initBuilder) account(path string, a *initstate.Account) error {
	if !b.known(a.ID) {
		return &InitError{path + ".id", fmt.Errorf("%q is not an account of this server (it serves %s; give it with --account)", a.ID, strings.Join(b.opts.ServedAccounts(), ", "))}
	}
	o := b.opts
	o.Clock, o.Log, o.AdminToken = b.clock, nil, ""
	// The scratch emulator serves every account, this one the default:
	// "test" signs as its root, and the API sees the others as served.
	o.Accounts = append([]string{a.ID}, slices.DeleteFunc(slices.Clone(o.Accounts), func(id string) bool { return id == a.ID })...)
	o.Account = a.ID
	o.RootAccessKeyID, o.RootSecret = DefaultRootAccessKeyID, DefaultRootSecret
	b.emu = New(b.db, o)
	defer b.emu.Close()
	b.iam = iam.New(iam.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1"),
		Credentials:  credentials.NewStaticCredentialsProvider(DefaultRootAccessKeyID, DefaultRootSecret, ""),
		HTTPClient:   handlerClient{b.emu.Handler()},
		Retryer:      aws.NopRetryer{},
		APIOptions: []func(*middleware.Stack) error{func(s *middleware.Stack) error {
			s.Initialize.Remove("OperationInputValidation") // the server's ValidationError is the text to show
			return nil
		}},
	})
	if b.keys == nil {
		b.keys = map[string]string{}
	}
	ctx := context.Background()
	b.at(nil)
	if a.Alias != "" {
		if _, err := b.iam.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: &a.Alias}); err != nil {
			return apiRefused(path+".alias", err)
		}
	}
	if p := a.PasswordPolicy; p != nil {
		_, err := b.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
			MinimumPasswordLength: p.MinimumPasswordLength, RequireSymbols: p.RequireSymbols, RequireNumbers: p.RequireNumbers,
			RequireUppercaseCharacters: p.RequireUppercaseCharacters, RequireLowercaseCharacters: p.RequireLowercaseCharacters,
			AllowUsersToChangePassword: p.AllowUsersToChangePassword, MaxPasswordAge: p.MaxPasswordAge,
			PasswordReusePrevention: p.PasswordReusePrevention, HardExpiry: p.HardExpiry,
		})
		if err != nil {
			return apiRefused(path+".passwordPolicy", err)
		}
	}
	for i := range a.Policies {
		if err := b.policy(ctx, fmt.Sprintf("%s.policies[%d]", path, i), &a.Policies[i]); err != nil {
			return err
		}
	}
	for i := range a.Groups {
		if err := b.group(ctx, fmt.Sprintf("%s.groups[%d]", path, i), &a.Groups[i]); err != nil {
			return err
		}
	}
	for i := range a.Users {
		if err := b.user(ctx, fmt.Sprintf("%s.users[%d]", path, i), a.ID, &a.Users[i]); err != nil {
			return err
		}
	}
	for i := range a.Roles {
		if err := b.role(ctx, fmt.Sprintf("%s.roles[%d]", path, i), &a.Roles[i]); err != nil {
			return err
		}
	}
	for i := range a.ServiceLinkedRoles {
		if err := b.serviceLinkedRole(ctx, fmt.Sprintf("%s.serviceLinkedRoles[%d]", path, i), &a.ServiceLinkedRoles[i]); err != nil {
			return err
		}
	}
	for i := range a.InstanceProfiles {
		if err := b.instanceProfile(ctx, fmt.Sprintf("%s.instanceProfiles[%d]", path, i), &a.InstanceProfiles[i]); err != nil {
			return err
		}
	}
	for i := range a.MFADevices {
		if err := b.mfaDevice(ctx, fmt.Sprintf("%s.mfaDevices[%d]", path, i), a.ID, "", &a.MFADevices[i]); err != nil {
			return err
		}
	}
	for i := range a.OIDCProviders {
		if err := b.oidcProvider(ctx, fmt.Sprintf("%s.oidcProviders[%d]", path, i), &a.OIDCProviders[i]); err != nil {
			return err
		}
	}
	for i := range a.SAMLProviders {
		if err := b.samlProvider(ctx, fmt.Sprintf("%s.samlProviders[%d]", path, i), a.ID, &a.SAMLProviders[i]); err != nil {
			return err
		}
	}
	for i := range a.ServerCertificates {
		if err := b.serverCertificate(ctx, fmt.Sprintf("%s.serverCertificates[%d]", path, i), a.ID, &a.ServerCertificates[i]); err != nil {
			return err
		}
	}
	return b.rootCredentials(ctx, path, a.ID, a)
}

// apiRefused is the API's refusal of the entity at path.
func apiRefused(path string, err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		return &InitError{path, fmt.Errorf("%s: %s", api.ErrorCode(), api.ErrorMessage())}
	}
	return &InitError{path, err}
}

func tagsIn(t initstate.Tags) []types.Tag {
	var out []types.Tag
	for _, tag := range t {
		out = append(out, types.Tag{Key: aws.String(tag.Key), Value: aws.String(tag.Value)})
	}
	return out
}

func (b *initBuilder) policy(ctx context.Context, path string, p *initstate.Policy) error {
	if len(p.Versions) == 0 {
		b.at(p.CreateDate)
		out, err := b.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{
			PolicyName: &p.Name, Path: optional(p.Path), Description: optional(p.Description),
			PolicyDocument: aws.String(p.Document.Text()), Tags: tagsIn(p.Tags),
		})
		if err != nil {
			return apiRefused(path, err)
		}
		b.keep(out.Policy.PolicyId, p.ID)
		return nil
	}
	return b.policyVersions(ctx, path, p)
}

// policyVersions makes a policy with the versions an export recorded, ids
// included: v1 comes with the policy, and every id up to the last one is
// made in turn, those the export lacks (deleted ones) deleted at once.
func (b *initBuilder) policyVersions(ctx context.Context, path string, p *initstate.Policy) error {
	want := map[int]*initstate.PolicyVersion{}
	last, def := 0, ""
	for i := range p.Versions {
		v := &p.Versions[i]
		var n int
		if _, err := fmt.Sscanf(v.VersionID, "v%d", &n); err != nil || n < 1 || want[n] != nil {
			return &InitError{fmt.Sprintf("%s.versions[%d].versionId", path, i), fmt.Errorf("%q is not a version id v1, v2, … of its own", v.VersionID)}
		}
		want[n], last = v, max(last, n)
		if v.Default {
			def = v.VersionID
		}
	}
	if def == "" {
		return &InitError{path + ".versions", errors.New("no version is the default")}
	}
	doc := func(n int) (string, *time.Time) {
		if v := want[n]; v != nil {
			return v.Document.Text(), v.CreateDate
		}
		return p.Versions[0].Document.Text(), p.CreateDate
	}
	text, at := doc(1)
	b.at(at)
	out, err := b.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName: &p.Name, Path: optional(p.Path), Description: optional(p.Description),
		PolicyDocument: &text, Tags: tagsIn(p.Tags),
	})
	if err != nil {
		return apiRefused(path, err)
	}
	b.keep(out.Policy.PolicyId, p.ID)
	arn, stale := out.Policy.Arn, want[1] == nil
	for n := 2; n <= last; n++ {
		text, at := doc(n)
		b.at(at)
		v, err := b.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: &text, SetAsDefault: stale && want[n] != nil})
		if err != nil {
			return apiRefused(fmt.Sprintf("%s.versions (v%d)", path, n), err)
		}
		if want[n] == nil {
			_, err = b.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: v.PolicyVersion.VersionId})
		} else if stale {
			_, err = b.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
			stale = false
		}
		if err != nil {
			return apiRefused(path+".versions", err)
		}
	}
	if _, err := b.iam.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: &def}); err != nil {
		return apiRefused(path+".versions", err)
	}
	if p.UpdateDate == nil {
		return nil
	}
	return b.db.Update(func(tx *store.Tx) error {
		stored, err := tx.Policy(b.emu.opts.Account, p.Name)
		if err != nil {
			return err
		}
		stored.Updated = p.UpdateDate.UTC()
		return tx.UpdatePolicy(stored)
	})
}

func (b *initBuilder) group(ctx context.Context, path string, g *initstate.Group) error {
	b.at(g.CreateDate)
	out, err := b.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: &g.Name, Path: optional(g.Path)})
	if err != nil {
		return apiRefused(path, err)
	}
	b.keep(out.Group.GroupId, g.ID)
	for i, arn := range g.AttachedPolicies {
		if _, err := b.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: &g.Name, PolicyArn: &arn}); err != nil {
			return apiRefused(fmt.Sprintf("%s.attachedPolicies[%d]", path, i), err)
		}
	}
	return b.inline(ctx, path, g.InlinePolicies, func(name, doc *string) error {
		_, err := b.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: &g.Name, PolicyName: name, PolicyDocument: doc})
		return err
	})
}

// inline puts each inline policy in name order.
func (b *initBuilder) inline(_ context.Context, path string, docs map[string]initstate.Document, put func(name, doc *string) error) error {
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		text := docs[name].Text()
		if err := put(&name, &text); err != nil {
			return apiRefused(fmt.Sprintf("%s.inlinePolicies.%s", path, name), err)
		}
	}
	return nil
}

func (b *initBuilder) role(ctx context.Context, path string, r *initstate.Role) error {
	b.at(r.CreateDate)
	in := &iam.CreateRoleInput{
		RoleName: &r.Name, Path: optional(r.Path), Description: optional(r.Description),
		AssumeRolePolicyDocument: aws.String(r.TrustPolicy.Text()), Tags: tagsIn(r.Tags),
	}
	if r.MaxSessionDuration != 0 {
		in.MaxSessionDuration = &r.MaxSessionDuration
	}
	out, err := b.iam.CreateRole(ctx, in)
	if err != nil {
		return apiRefused(path, err)
	}
	b.keep(out.Role.RoleId, r.ID)
	if r.PermissionsBoundary != "" {
		if _, err := b.iam.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: &r.Name, PermissionsBoundary: &r.PermissionsBoundary}); err != nil {
			return apiRefused(path+".permissionsBoundary", err)
		}
	}
	for i, arn := range r.AttachedPolicies {
		if _, err := b.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &r.Name, PolicyArn: &arn}); err != nil {
			return apiRefused(fmt.Sprintf("%s.attachedPolicies[%d]", path, i), err)
		}
	}
	return b.inline(ctx, path, r.InlinePolicies, func(name, doc *string) error {
		_, err := b.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &r.Name, PolicyName: name, PolicyDocument: doc})
		return err
	})
}

func (b *initBuilder) instanceProfile(ctx context.Context, path string, p *initstate.InstanceProfile) error {
	b.at(p.CreateDate)
	out, err := b.iam.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: &p.Name, Path: optional(p.Path), Tags: tagsIn(p.Tags)})
	if err != nil {
		return apiRefused(path, err)
	}
	b.keep(out.InstanceProfile.InstanceProfileId, p.ID)
	for i, role := range p.Roles {
		if _, err := b.iam.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: &p.Name, RoleName: &role}); err != nil {
			return apiRefused(fmt.Sprintf("%s.roles[%d]", path, i), err)
		}
	}
	return nil
}

func (b *initBuilder) oidcProvider(ctx context.Context, path string, p *initstate.OIDCProvider) error {
	b.at(p.CreateDate)
	_, err := b.iam.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: &p.URL, ClientIDList: p.ClientIDs, ThumbprintList: p.Thumbprints, Tags: tagsIn(p.Tags),
	})
	if err != nil {
		return apiRefused(path, err)
	}
	return nil
}

// handlerClient sends the SDK's requests straight to a handler.
type handlerClient struct{ h http.Handler }

func (c handlerClient) Do(r *http.Request) (*http.Response, error) {
	// What a server's request carries that a client's leaves to the transport.
	r.Host, r.RemoteAddr, r.RequestURI = r.URL.Host, "127.0.0.1:1", r.URL.RequestURI()
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w.Result(), nil
}

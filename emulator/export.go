package emulator

import (
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

// Export is the whole state in the init format, read in one transaction,
// with the ids and dates that make an import of it reproduce the state
// exactly. Access key secrets, password hashes, MFA seeds and the digests
// of service-specific credentials' secrets are in it only when secrets is
// set; without them an import gives those keys, passwords, devices and
// credentials random secrets. Server certificates' private keys are never
// kept, so never exported. Not exported: sessions (temporary credentials)
// and last-used data.
func (e *Emulator) Export(secrets bool) (*initstate.State, error) {
	s := &initstate.State{}
	err := e.db.View(func(tx *store.Tx) error {
		for _, id := range e.exportedAccounts() {
			a, err := exportAccount(tx, id, secrets)
			if err != nil {
				return err
			}
			s.Accounts = append(s.Accounts, *a)
		}
		return nil
	})
	return s, err
}

// exportedAccounts are the accounts Export writes.
func (e *Emulator) exportedAccounts() []string { return e.opts.ServedAccounts() }

func exportAccount(tx *store.Tx, id string, secrets bool) (*initstate.Account, error) {
	x := exporter{tx: tx, account: id, secrets: secrets, a: &initstate.Account{ID: id}}
	for _, step := range []func() error{x.settings, x.policies, x.groups, x.users, x.unassignedDevices, x.roles, x.instanceProfiles, x.oidcProviders, x.samlProviders, x.serverCertificates, x.rootCredentials} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return x.a, nil
}

// exporter writes one account's state into a.
type exporter struct {
	tx      *store.Tx
	account string
	secrets bool
	a       *initstate.Account
}

func created(id string, t time.Time) initstate.Created {
	return initstate.Created{ID: id, CreateDate: dateOf(t)}
}

func dateOf(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func exportTags(tags []store.Tag) initstate.Tags {
	var out initstate.Tags
	for _, t := range tags {
		out = append(out, initstate.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func (x *exporter) settings() error {
	alias, err := x.tx.AccountAlias(x.account)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	x.a.Alias = alias
	p, err := x.tx.PasswordPolicy(x.account)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p == nil) {
		return nil
	}
	if err != nil {
		return err
	}
	pp := &initstate.PasswordPolicy{
		MinimumPasswordLength: int32Of(p.MinimumLength), RequireSymbols: p.RequireSymbols, RequireNumbers: p.RequireNumbers,
		RequireUppercaseCharacters: p.RequireUppercase, RequireLowercaseCharacters: p.RequireLowercase,
		AllowUsersToChangePassword: p.AllowUsersToChange, MaxPasswordAge: int32Of(p.MaxAge),
		PasswordReusePrevention: int32Of(p.ReusePrevention), HardExpiry: p.HardExpiry,
	}
	x.a.PasswordPolicy = pp
	return nil
}

func int32Of(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(n)
	return &v
}

func (x *exporter) policies() error {
	return x.tx.Policies(x.account, func(p *store.Policy) (bool, error) {
		out := initstate.Policy{Name: p.Name, Path: p.Path, Description: p.Description, Tags: exportTags(p.Tags), UpdateDate: dateOf(p.Updated), Created: created(p.ID, p.Created)}
		for _, v := range p.Versions {
			out.Versions = append(out.Versions, initstate.PolicyVersion{
				VersionID: v.ID, Document: initstate.TextDocument(v.Document), Default: v.ID == p.Default, CreateDate: dateOf(v.Created),
			})
		}
		x.a.Policies = append(x.a.Policies, out)
		return true, nil
	})
}

// principal reads what users, groups and roles share: attached and
// inline policies.
func (x *exporter) principal(id string) (attached []string, inline map[string]initstate.Document, err error) {
	refs, err := x.tx.AttachedPolicies(x.account, id)
	if err != nil {
		return nil, nil, err
	}
	for _, ref := range refs {
		attached = append(attached, "arn:aws:"+ref)
	}
	docs, err := x.tx.InlinePolicies(x.account, id)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range docs {
		if inline == nil {
			inline = map[string]initstate.Document{}
		}
		inline[d.Name] = initstate.TextDocument(d.Document)
	}
	return attached, inline, nil
}

func boundaryARN(ref string) string {
	if ref == "" {
		return ""
	}
	return "arn:aws:" + ref
}

func (x *exporter) groups() error {
	return x.tx.Groups(x.account, "", func(g *store.Group) (bool, error) {
		attached, inline, err := x.principal(g.ID)
		if err != nil {
			return false, err
		}
		x.a.Groups = append(x.a.Groups, initstate.Group{Name: g.Name, Path: g.Path, AttachedPolicies: attached, InlinePolicies: inline, Created: created(g.ID, g.Created)})
		return true, nil
	})
}

func (x *exporter) users() error {
	return x.tx.Users(x.account, "", func(u *store.User) (bool, error) {
		out := initstate.User{Name: u.Name, Path: u.Path, Tags: exportTags(u.Tags), PermissionsBoundary: boundaryARN(u.Boundary), Created: created(u.ID, u.Created)}
		var err error
		if out.AttachedPolicies, out.InlinePolicies, err = x.principal(u.ID); err != nil {
			return false, err
		}
		groups, err := x.tx.UserGroupIDs(x.account, u.ID)
		if err != nil {
			return false, err
		}
		for _, id := range groups {
			g, err := x.tx.GroupByID(x.account, id)
			if err != nil {
				return false, err
			}
			out.Groups = append(out.Groups, g.Name)
		}
		if l := u.Login; l != nil {
			out.PasswordResetRequired = l.ResetRequired
			out.LoginProfile = &initstate.LoginProfile{CreateDate: dateOf(l.Created), PasswordChanged: dateOf(l.Changed)}
			if x.secrets {
				out.PasswordHash = string(l.Hash)
			}
		}
		keys, err := x.tx.AccessKeys(x.account, u.ID)
		if err != nil {
			return false, err
		}
		for _, k := range keys {
			out.AccessKeys = append(out.AccessKeys, x.accessKey(&k))
		}
		if err := x.userCredentials(u.ID, &out); err != nil {
			return false, err
		}
		x.a.Users = append(x.a.Users, out)
		return true, nil
	})
}

func (x *exporter) accessKey(k *store.AccessKey) initstate.AccessKey {
	out := initstate.AccessKey{ID: k.ID, Status: "Active", CreateDate: dateOf(k.Created)}
	if !k.Active {
		out.Status = "Inactive"
	}
	if x.secrets {
		out.Secret = k.Secret
	}
	return out
}

// unassignedDevices exports the MFA devices: an enabled one under its
// user (users ran first), one enabled for nobody under the account.
func (x *exporter) unassignedDevices() error {
	byID := map[string]*initstate.User{}
	for i := range x.a.Users {
		byID[x.a.Users[i].ID] = &x.a.Users[i]
	}
	return x.tx.MFADevices(x.account, "", func(d *store.MFADevice) (bool, error) {
		out := initstate.MFADevice{Name: d.Name, Path: d.Path, Tags: exportTags(d.Tags), CreateDate: dateOf(d.Created), EnableDate: dateOf(d.Enabled)}
		if x.secrets {
			out.Seed = d.Seed
		}
		if u := byID[d.UserID]; u != nil {
			u.MFADevices = append(u.MFADevices, out)
		} else {
			x.a.MFADevices = append(x.a.MFADevices, out)
		}
		return true, nil
	})
}

func (x *exporter) roles() error {
	return x.tx.Roles(x.account, "", func(r *store.Role) (bool, error) {
		if r.Service != "" {
			return true, x.serviceLinkedRole(r)
		}
		out := initstate.Role{
			Name: r.Name, Path: r.Path, Description: r.Description, TrustPolicy: initstate.TextDocument(r.TrustPolicy),
			PermissionsBoundary: boundaryARN(r.Boundary), MaxSessionDuration: int32(r.MaxSessionDuration), Tags: exportTags(r.Tags),
			Created: created(r.ID, r.Created),
		}
		var err error
		if out.AttachedPolicies, out.InlinePolicies, err = x.principal(r.ID); err != nil {
			return false, err
		}
		x.a.Roles = append(x.a.Roles, out)
		return true, nil
	})
}

func (x *exporter) instanceProfiles() error {
	return x.tx.InstanceProfiles(x.account, "", func(p *store.InstanceProfile) (bool, error) {
		out := initstate.InstanceProfile{Name: p.Name, Path: p.Path, Tags: exportTags(p.Tags), Created: created(p.ID, p.Created)}
		for _, id := range p.RoleIDs {
			r, err := x.tx.RoleByID(x.account, id)
			if err != nil {
				return false, err
			}
			out.Roles = append(out.Roles, r.Name)
		}
		x.a.InstanceProfiles = append(x.a.InstanceProfiles, out)
		return true, nil
	})
}

func (x *exporter) oidcProviders() error {
	return x.tx.OIDCProviders(x.account, func(p *store.OIDCProvider) (bool, error) {
		x.a.OIDCProviders = append(x.a.OIDCProviders, initstate.OIDCProvider{
			URL: p.URL, ClientIDs: p.ClientIDs, Thumbprints: p.Thumbprints, Tags: exportTags(p.Tags), CreateDate: dateOf(p.Created),
		})
		return true, nil
	})
}

// statusName is a credential's status as the API names it.
func statusName(active bool) string { return string(statusOf(active)) }

func (x *exporter) userCredentials(userID string, out *initstate.User) error {
	certs, err := x.tx.SigningCertificates(x.account, userID)
	if err != nil {
		return err
	}
	out.SigningCertificates = exportCertificates(certs)
	keys, err := x.tx.SSHPublicKeys(x.account, userID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		out.SSHPublicKeys = append(out.SSHPublicKeys, initstate.SSHPublicKey{ID: k.ID, Body: k.Body, Status: statusName(k.Active), UploadDate: dateOf(k.Uploaded)})
	}
	creds, err := x.tx.ServiceCredentials(x.account, userID)
	if err != nil {
		return err
	}
	for _, c := range creds {
		out.ServiceCredentials = append(out.ServiceCredentials, x.serviceCredential(&c))
	}
	return nil
}

func exportCertificates(certs []store.SigningCertificate) []initstate.SigningCertificate {
	var out []initstate.SigningCertificate
	for _, c := range certs {
		out = append(out, initstate.SigningCertificate{ID: c.ID, Body: c.Body, Status: statusName(c.Active), UploadDate: dateOf(c.Uploaded)})
	}
	return out
}

func (x *exporter) serviceCredential(c *store.ServiceCredential) initstate.ServiceCredential {
	out := initstate.ServiceCredential{
		ID: c.ID, Service: c.Service, Status: statusName(c.Active),
		ServiceUserName: c.ServiceUserName, Alias: c.Alias, CreateDate: dateOf(c.Created),
	}
	if c.Expires != nil {
		// CreateServiceSpecificCredential made it so many whole days on.
		out.CredentialAgeDays = int32(c.Expires.Sub(c.Created) / (24 * time.Hour))
	}
	if x.secrets {
		out.SecretHash = hex.EncodeToString(c.SecretHash)
	}
	return out
}

// rootCredentials exports the root user's own access keys and signing
// certificates, held under the account's id.
func (x *exporter) rootCredentials() error {
	keys, err := x.tx.AccessKeys(x.account, x.account)
	if err != nil {
		return err
	}
	for _, k := range keys {
		x.a.RootAccessKeys = append(x.a.RootAccessKeys, x.accessKey(&k))
	}
	certs, err := x.tx.SigningCertificates(x.account, x.account)
	if err != nil {
		return err
	}
	x.a.RootSigningCertificates = exportCertificates(certs)
	return nil
}

// serviceLinkedRole exports what a user may change on a service-linked
// role; the rest is its service's.
func (x *exporter) serviceLinkedRole(r *store.Role) error {
	out := initstate.ServiceLinkedRole{
		Service: r.Service, Description: r.Description, PermissionsBoundary: boundaryARN(r.Boundary),
		Tags: exportTags(r.Tags), Created: created(r.ID, r.Created),
	}
	if s, err := serviceLinkedOf(r.Service); err == nil {
		out.CustomSuffix = strings.TrimPrefix(strings.TrimPrefix(r.Name, s.name), "_")
	}
	if r.MaxSessionDuration != defaultMaxSessionDuration {
		out.MaxSessionDuration = int32(r.MaxSessionDuration)
	}
	x.a.ServiceLinkedRoles = append(x.a.ServiceLinkedRoles, out)
	return nil
}

func (x *exporter) samlProviders() error {
	return x.tx.SAMLProviders(x.account, func(p *store.SAMLProvider) (bool, error) {
		x.a.SAMLProviders = append(x.a.SAMLProviders, initstate.SAMLProvider{
			Name: p.Name, Metadata: p.Metadata, AssertionEncryptionMode: p.EncryptionMode, Tags: exportTags(p.Tags),
			UUID: p.UUID, CreateDate: dateOf(p.Created), ValidUntil: dateOf(p.ValidUntil),
		})
		return true, nil
	})
}

func (x *exporter) serverCertificates() error {
	return x.tx.ServerCertificates(x.account, "", func(sc *store.ServerCertificate) (bool, error) {
		x.a.ServerCertificates = append(x.a.ServerCertificates, initstate.ServerCertificate{
			Name: sc.Name, Path: sc.Path, Body: sc.Body, Chain: sc.Chain, Tags: exportTags(sc.Tags),
			ID: sc.ID, UploadDate: dateOf(sc.Uploaded),
		})
		return true, nil
	})
}

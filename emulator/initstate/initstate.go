// Package initstate owns the shape of iamlocal's init file: the starting
// state a server applies at start and on every reset (--init), which
// `iamlocal export` and GET /_iamlocal/state also write. It only declares
// and decodes the format; the emulator applies it through its own API. It
// must not know the store or IAM's rules: an init file is checked by the
// API it is applied through, so every refusal is the API's own.
//
// The JSON Schema of the format is docs/init.schema.json.
package initstate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// State is a whole init file: the contents of each account.
type State struct {
	Accounts []Account `json:"accounts"`
}

// Account is one account's contents. Entities are created in the order
// policies, groups, users, roles, service-linked roles, instance profiles,
// MFA devices, OIDC and SAML providers, server certificates, so a user may
// join a group and attach a policy of the same file.
type Account struct {
	ID               string            `json:"id"`
	Alias            string            `json:"alias,omitempty"`
	PasswordPolicy   *PasswordPolicy   `json:"passwordPolicy,omitempty"`
	Policies         []Policy          `json:"policies,omitempty"`
	Groups           []Group           `json:"groups,omitempty"`
	Users            []User            `json:"users,omitempty"`
	Roles            []Role            `json:"roles,omitempty"`
	InstanceProfiles []InstanceProfile `json:"instanceProfiles,omitempty"`
	OIDCProviders    []OIDCProvider    `json:"oidcProviders,omitempty"`
	// MFADevices are virtual MFA devices enabled for no user.
	MFADevices         []MFADevice         `json:"mfaDevices,omitempty"`
	ServiceLinkedRoles []ServiceLinkedRole `json:"serviceLinkedRoles,omitempty"`
	SAMLProviders      []SAMLProvider      `json:"samlProviders,omitempty"`
	ServerCertificates []ServerCertificate `json:"serverCertificates,omitempty"`
	// RootAccessKeys and RootSigningCertificates are the root user's own;
	// the server's root key (--root-access-key) is not among them.
	RootAccessKeys          []AccessKey          `json:"rootAccessKeys,omitempty"`
	RootSigningCertificates []SigningCertificate `json:"rootSigningCertificates,omitempty"`
}

// PasswordPolicy is UpdateAccountPasswordPolicy's input, member for
// member.
type PasswordPolicy struct {
	MinimumPasswordLength      *int32 `json:"MinimumPasswordLength,omitempty"`
	RequireSymbols             bool   `json:"RequireSymbols,omitempty"`
	RequireNumbers             bool   `json:"RequireNumbers,omitempty"`
	RequireUppercaseCharacters bool   `json:"RequireUppercaseCharacters,omitempty"`
	RequireLowercaseCharacters bool   `json:"RequireLowercaseCharacters,omitempty"`
	AllowUsersToChangePassword bool   `json:"AllowUsersToChangePassword,omitempty"`
	MaxPasswordAge             *int32 `json:"MaxPasswordAge,omitempty"`
	PasswordReusePrevention    *int32 `json:"PasswordReusePrevention,omitempty"`
	HardExpiry                 *bool  `json:"HardExpiry,omitempty"`
}

// Policy is a customer managed policy. Document is its default (only)
// version; an export lists every version in Versions instead.
type Policy struct {
	Name        string          `json:"name"`
	Path        string          `json:"path,omitempty"`
	Description string          `json:"description,omitempty"`
	Document    Document        `json:"document,omitempty"`
	Tags        Tags            `json:"tags,omitempty"`
	Versions    []PolicyVersion `json:"versions,omitempty"`
	// UpdateDate is when the newest version was made, deleted or not, as
	// an export writes it.
	UpdateDate *time.Time `json:"updateDate,omitempty"`
	Created
}

// PolicyVersion is one version of a managed policy, as an export writes
// it.
type PolicyVersion struct {
	VersionID  string     `json:"versionId"`
	Document   Document   `json:"document"`
	Default    bool       `json:"default,omitempty"`
	CreateDate *time.Time `json:"createDate,omitempty"`
}

// Group is an IAM group with its policies.
type Group struct {
	Name             string              `json:"name"`
	Path             string              `json:"path,omitempty"`
	AttachedPolicies []string            `json:"attachedPolicies,omitempty"`
	InlinePolicies   map[string]Document `json:"inlinePolicies,omitempty"`
	Created
}

// User is an IAM user with its groups, policies and credentials.
type User struct {
	Name                string               `json:"name"`
	Path                string               `json:"path,omitempty"`
	Tags                Tags                 `json:"tags,omitempty"`
	Groups              []string             `json:"groups,omitempty"`
	AttachedPolicies    []string             `json:"attachedPolicies,omitempty"`
	InlinePolicies      map[string]Document  `json:"inlinePolicies,omitempty"`
	PermissionsBoundary string               `json:"permissionsBoundary,omitempty"`
	AccessKeys          []AccessKey          `json:"accessKeys,omitempty"`
	MFADevices          []MFADevice          `json:"mfaDevices,omitempty"`
	SigningCertificates []SigningCertificate `json:"signingCertificates,omitempty"`
	SSHPublicKeys       []SSHPublicKey       `json:"sshPublicKeys,omitempty"`
	ServiceCredentials  []ServiceCredential  `json:"serviceCredentials,omitempty"`
	// Password is a console password in clear, checked against the
	// password policy as CreateLoginProfile checks it. An export writes
	// PasswordHash instead (with secrets) or only LoginProfile.
	Password              string        `json:"password,omitempty"`
	PasswordHash          string        `json:"passwordHash,omitempty"`
	PasswordResetRequired bool          `json:"passwordResetRequired,omitempty"`
	LoginProfile          *LoginProfile `json:"loginProfile,omitempty"`
	Created
}

// LoginProfile carries the dates of a console password, as an export
// writes them. Present without Password or PasswordHash, it gives the
// user a login profile with a random password nobody knows.
type LoginProfile struct {
	CreateDate      *time.Time `json:"createDate,omitempty"`
	PasswordChanged *time.Time `json:"passwordChanged,omitempty"`
}

// AccessKey is a long-term access key with a fixed id: any 3 to 128 word
// characters, as test tools use short fake ids (FOOBARKEY). Without a
// secret (an export without secrets) the key gets a random one.
type AccessKey struct {
	ID         string     `json:"id"`
	Secret     string     `json:"secret,omitempty"`
	Status     string     `json:"status,omitempty"` // Active (the default) or Inactive
	CreateDate *time.Time `json:"createDate,omitempty"`
}

// MFADevice is a virtual MFA device with a known base32 seed (without
// one, an export without secrets, a random seed). Under a user it is
// enabled for that user, at EnableDate when given.
type MFADevice struct {
	Name       string     `json:"name"`
	Path       string     `json:"path,omitempty"`
	Seed       string     `json:"seed,omitempty"`
	Tags       Tags       `json:"tags,omitempty"`
	CreateDate *time.Time `json:"createDate,omitempty"`
	EnableDate *time.Time `json:"enableDate,omitempty"`
}

// Role is an IAM role with its trust policy and permissions.
type Role struct {
	Name                string              `json:"name"`
	Path                string              `json:"path,omitempty"`
	Description         string              `json:"description,omitempty"`
	TrustPolicy         Document            `json:"trustPolicy"`
	AttachedPolicies    []string            `json:"attachedPolicies,omitempty"`
	InlinePolicies      map[string]Document `json:"inlinePolicies,omitempty"`
	PermissionsBoundary string              `json:"permissionsBoundary,omitempty"`
	MaxSessionDuration  int32               `json:"maxSessionDuration,omitempty"`
	Tags                Tags                `json:"tags,omitempty"`
	Created
}

// InstanceProfile is an instance profile and the role it holds.
type InstanceProfile struct {
	Name  string   `json:"name"`
	Path  string   `json:"path,omitempty"`
	Roles []string `json:"roles,omitempty"`
	Tags  Tags     `json:"tags,omitempty"`
	Created
}

// OIDCProvider is an OpenID Connect identity provider.
type OIDCProvider struct {
	URL         string     `json:"url"`
	ClientIDs   []string   `json:"clientIds,omitempty"`
	Thumbprints []string   `json:"thumbprints,omitempty"`
	Tags        Tags       `json:"tags,omitempty"`
	CreateDate  *time.Time `json:"createDate,omitempty"`
}

// SigningCertificate is an X.509 certificate in PEM form that a user (or
// the root user) signs requests with. An export adds its id (28 base32
// characters) and upload date.
type SigningCertificate struct {
	ID         string     `json:"id,omitempty"`
	Body       string     `json:"body"`
	Status     string     `json:"status,omitempty"` // Active (the default) or Inactive
	UploadDate *time.Time `json:"uploadDate,omitempty"`
}

// SSHPublicKey is a user's SSH public key for CodeCommit, in the SSH
// (ssh-rsa …) or PEM encoding. An export adds its id (APKA…) and upload
// date.
type SSHPublicKey struct {
	ID         string     `json:"id,omitempty"`
	Body       string     `json:"body"`
	Status     string     `json:"status,omitempty"` // Active (the default) or Inactive
	UploadDate *time.Time `json:"uploadDate,omitempty"`
}

// ServiceCredential is a user's service-specific credential: a user name
// and password (CodeCommit, Keyspaces) or an API key (Bedrock, CloudWatch
// Logs). Its secret is never known again once made: an export with
// secrets writes only its SHA-256 digest (SecretHash, hex), and without
// one an import gives it a fresh random secret. An export adds the id
// (ACCA…), the date and the names AWS made from the user's name then
// (ServiceUserName or Alias), which a renamed user keeps.
type ServiceCredential struct {
	ID                string     `json:"id,omitempty"`
	Service           string     `json:"service"`
	CredentialAgeDays int32      `json:"credentialAgeDays,omitempty"`
	Status            string     `json:"status,omitempty"` // Active (the default) or Inactive
	ServiceUserName   string     `json:"serviceUserName,omitempty"`
	Alias             string     `json:"alias,omitempty"`
	SecretHash        string     `json:"secretHash,omitempty"`
	CreateDate        *time.Time `json:"createDate,omitempty"`
}

// ServerCertificate is a TLS server certificate with its chain. Its
// private key is checked against the certificate when given and never
// kept, so an export has none: without one, the certificate and chain are
// checked as UploadServerCertificate checks them, the key pair aside. An
// export adds its id (ASCA…) and upload date.
type ServerCertificate struct {
	Name       string     `json:"name"`
	Path       string     `json:"path,omitempty"`
	Body       string     `json:"body"`
	Chain      string     `json:"chain,omitempty"`
	PrivateKey string     `json:"privateKey,omitempty"`
	Tags       Tags       `json:"tags,omitempty"`
	ID         string     `json:"id,omitempty"`
	UploadDate *time.Time `json:"uploadDate,omitempty"`
}

// SAMLProvider is a SAML 2.0 identity provider and its metadata document.
// An export adds its UUID (26 base32 characters), its creation date and
// when it is valid until (the metadata's validUntil, or a date made from
// the day it was last given metadata without one).
type SAMLProvider struct {
	Name                    string     `json:"name"`
	Metadata                string     `json:"metadata"`
	AssertionEncryptionMode string     `json:"assertionEncryptionMode,omitempty"` // Allowed or Required
	Tags                    Tags       `json:"tags,omitempty"`
	UUID                    string     `json:"uuid,omitempty"`
	CreateDate              *time.Time `json:"createDate,omitempty"`
	ValidUntil              *time.Time `json:"validUntil,omitempty"`
}

// ServiceLinkedRole is a role a service made (CreateServiceLinkedRole):
// its name, path, trust policy and policies are the service's; only what
// the API lets a user change on one is here.
type ServiceLinkedRole struct {
	Service             string `json:"service"` // the service principal, ecs.amazonaws.com
	CustomSuffix        string `json:"customSuffix,omitempty"`
	Description         string `json:"description,omitempty"`
	MaxSessionDuration  int32  `json:"maxSessionDuration,omitempty"`
	PermissionsBoundary string `json:"permissionsBoundary,omitempty"`
	Tags                Tags   `json:"tags,omitempty"`
	Created
}

// Created is what an export adds so that an import reproduces an entity
// exactly: its unique id (AIDA…, AGPA…, ANPA…, AROA…, AIPA…) and its
// creation date. An init file leaves both out: ids are then random and
// dates the time of the start or reset.
type Created struct {
	ID         string     `json:"id,omitempty"`
	CreateDate *time.Time `json:"createDate,omitempty"`
}

// Document is a policy document: a JSON object, or a JSON string holding
// the document's text (an export writes strings, so that the text comes
// back byte for byte).
type Document json.RawMessage

// Text is the document's text.
func (d Document) Text() string {
	if len(d) > 0 && d[0] == '"' {
		var s string
		if json.Unmarshal(d, &s) == nil {
			return s
		}
	}
	return string(d)
}

// TextDocument is the document whose text is s.
func TextDocument(s string) Document {
	b, _ := json.Marshal(s)
	return Document(b)
}

// MarshalJSON writes the document as it was read.
func (d Document) MarshalJSON() ([]byte, error) {
	if len(d) == 0 {
		return []byte("null"), nil
	}
	return json.RawMessage(d).MarshalJSON()
}

// UnmarshalJSON keeps the document's bytes.
func (d *Document) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || (b[0] != '{' && b[0] != '"') {
		return errors.New("a policy document must be a JSON object or a string")
	}
	*d = append((*d)[:0], b...)
	return nil
}

// Tag is one tag.
type Tag struct{ Key, Value string }

// Tags are written as a JSON object, {"team": "platform"}, and keep the
// object's order, which is the order IAM lists them in.
type Tags []Tag

// MarshalJSON writes the tags as an object, in order.
func (t Tags) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, tag := range t {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(tag.Key)
		v, _ := json.Marshal(tag.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of string values, in order.
func (t *Tags) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("tags must be an object of string values")
	}
	*t = (*t)[:0]
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return err
		}
		var v string
		if err := d.Decode(&v); err != nil {
			return fmt.Errorf("tag %q: the value must be a string", k)
		}
		*t = append(*t, Tag{Key: k.(string), Value: v})
	}
	return nil
}

// Decode reads an init file strictly: an unknown member is an error (a
// misspelt field would otherwise be dropped in silence), and so is
// anything after the object. An error says where: line and column, and the
// member's path when the JSON names it.
func Decode(r io.Reader) (*State, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var s State
	if err := d.Decode(&s); err != nil {
		offset := d.InputOffset()
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			offset = syntax.Offset
		case errors.As(err, &typ):
			offset = typ.Offset
			err = fmt.Errorf("%s: a %s cannot be %s", typ.Field, typ.Value, typ.Type)
		}
		return nil, fmt.Errorf("%s: %w", position(data, offset), err)
	}
	if d.More() {
		return nil, fmt.Errorf("%s: unexpected data after the init object", position(data, d.InputOffset()))
	}
	return &s, nil
}

// position is the line and column of offset in data.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n') - 1 // of the last byte read
	return fmt.Sprintf("line %d, column %d", line, col)
}

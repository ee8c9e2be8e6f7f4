package emulator

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// SSH public key rules (UploadSSHPublicKey in the IAM API reference): RSA
// only, ssh-rsa or PEM, at least 2048 bits, five per user (IAM quotas).
const (
	maxSSHPublicKeysPerUser = 5
	minSSHKeyBits           = 2048
	sshRSA                  = "ssh-rsa"
)

// parseSSHPublicKey reads an RSA public key in OpenSSH form
// ("ssh-rsa AAAA… comment") or PEM form (PUBLIC KEY or RSA PUBLIC KEY).
func parseSSHPublicKey(body string) (*rsa.PublicKey, error) {
	body = strings.TrimSpace(body)
	if strings.HasPrefix(body, "-----BEGIN ") {
		return parsePEMPublicKey(body)
	}
	fields := strings.Fields(body)
	if len(fields) < 2 || fields[0] != sshRSA {
		return nil, unrecognizedPublicKeyEncoding()
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, invalidPublicKey()
	}
	return checkedKey(parseSSHRSABlob(blob))
}

func parsePEMPublicKey(body string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(body))
	if block == nil {
		return nil, invalidPublicKey()
	}
	switch block.Type {
	case "RSA PUBLIC KEY":
		return checkedKey(x509.ParsePKCS1PublicKey(block.Bytes))
	case "PUBLIC KEY":
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, invalidPublicKey()
		}
		rsaKey, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, unrecognizedPublicKeyEncoding()
		}
		return checkedKey(rsaKey, nil)
	}
	return nil, unrecognizedPublicKeyEncoding()
}

func checkedKey(key *rsa.PublicKey, err error) (*rsa.PublicKey, error) {
	if err != nil {
		return nil, invalidPublicKey()
	}
	if bits := key.N.BitLen(); bits < minSSHKeyBits {
		return nil, shortPublicKey(bits, minSSHKeyBits)
	}
	return key, nil
}

// parseSSHRSABlob reads the SSH wire form of an RSA key (RFC 4253 6.6):
// the string "ssh-rsa", then the mpints e and n.
func parseSSHRSABlob(blob []byte) (*rsa.PublicKey, error) {
	var parts [3][]byte
	for i := range parts {
		if len(blob) < 4 {
			return nil, errors.New("short key blob")
		}
		n := binary.BigEndian.Uint32(blob)
		if uint64(len(blob)-4) < uint64(n) {
			return nil, errors.New("short key blob")
		}
		parts[i], blob = blob[4:4+n], blob[4+n:]
	}
	e := new(big.Int).SetBytes(parts[1])
	if string(parts[0]) != sshRSA || len(blob) != 0 || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 {
		return nil, errors.New("not an ssh-rsa key")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(parts[2]), E: int(e.Int64())}, nil
}

// sshBlob is key's SSH wire form.
func sshBlob(key *rsa.PublicKey) []byte {
	var b []byte
	put := func(p []byte) { b = append(binary.BigEndian.AppendUint32(b, uint32(len(p))), p...) }
	mpint := func(x *big.Int) []byte {
		raw := x.Bytes()
		if len(raw) > 0 && raw[0]&0x80 != 0 {
			raw = append([]byte{0}, raw...)
		}
		return raw
	}
	put([]byte(sshRSA))
	put(mpint(big.NewInt(int64(key.E))))
	put(mpint(key.N))
	return b
}

// sshFingerprint is how AWS shows a key: the MD5 of its SSH wire form in
// colon-separated hex, as `ssh-keygen -l -E md5` prints it.
func sshFingerprint(blob []byte) string {
	sum := md5.Sum(blob)
	h := hex.EncodeToString(sum[:])
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// sshBodyIn is the key in the encoding GetSSHPublicKey asks for: the body
// as uploaded when it is in that encoding already.
func sshBodyIn(k *store.SSHPublicKey, encoding types.EncodingType) string {
	uploadedPEM := strings.HasPrefix(strings.TrimSpace(k.Body), "-----BEGIN ")
	if uploadedPEM == (encoding == types.EncodingTypePem) {
		return k.Body
	}
	if encoding != types.EncodingTypePem {
		return sshRSA + " " + base64.StdEncoding.EncodeToString(k.Blob)
	}
	key, _ := parseSSHRSABlob(k.Blob) // stored by UploadSSHPublicKey, so well formed
	der, _ := x509.MarshalPKIXPublicKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// heldSSHKey loads key id of user u, or AWS's NoSuchEntity for it.
func heldSSHKey(tx *store.Tx, u *store.User, id string) (*store.SSHPublicKey, error) {
	k, err := tx.SSHPublicKey(u.Account, u.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchSSHPublicKey(id)
	}
	return k, err
}

func (e *Emulator) UploadSSHPublicKey(ctx context.Context, in *iam.UploadSSHPublicKeyInput) (*iam.UploadSSHPublicKeyOutput, error) {
	c := callerOf(ctx)
	k := &store.SSHPublicKey{
		Account:  c.Account,
		ID:       uniqueID(prefixSSHPublicKey),
		Body:     *in.SSHPublicKeyBody,
		Active:   true,
		Uploaded: e.now(),
	}
	var name string
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:UploadSSHPublicKey")
		if err != nil {
			return err
		}
		name = u.Name
		key, err := parseSSHPublicKey(k.Body)
		if err != nil {
			return err
		}
		k.UserID, k.Blob = u.ID, sshBlob(key)
		k.Fingerprint = sshFingerprint(k.Blob)
		keys, err := tx.SSHPublicKeys(c.Account, u.ID)
		if err != nil {
			return err
		}
		for _, other := range keys {
			if bytes.Equal(other.Blob, k.Blob) {
				return duplicateSSHPublicKey()
			}
		}
		if len(keys) >= maxSSHPublicKeysPerUser {
			return quotaExceeded("SSHPublicKeysPerUser", maxSSHPublicKeysPerUser)
		}
		return tx.PutSSHPublicKey(k)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UploadSSHPublicKeyOutput{SSHPublicKey: sshKeyOut(name, k, k.Body)}, nil
}

func (e *Emulator) GetSSHPublicKey(ctx context.Context, in *iam.GetSSHPublicKeyInput) (*iam.GetSSHPublicKeyOutput, error) {
	c := callerOf(ctx)
	var out *types.SSHPublicKey
	err := e.db.View(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:GetSSHPublicKey")
		if err != nil {
			return err
		}
		k, err := heldSSHKey(tx, u, *in.SSHPublicKeyId)
		if err != nil {
			return err
		}
		out = sshKeyOut(u.Name, k, sshBodyIn(k, in.Encoding))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetSSHPublicKeyOutput{SSHPublicKey: out}, nil
}

func (e *Emulator) ListSSHPublicKeys(ctx context.Context, in *iam.ListSSHPublicKeysInput) (*iam.ListSSHPublicKeysOutput, error) {
	c := callerOf(ctx)
	var (
		name string
		keys []store.SSHPublicKey
	)
	err := e.db.View(func(tx *store.Tx) error {
		u, err := authorizedTargetUser(tx, c, in.UserName, "iam:ListSSHPublicKeys")
		if err != nil {
			return err
		}
		name = u.Name
		keys, err = tx.SSHPublicKeys(c.Account, u.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListSSHPublicKeys", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListSSHPublicKeysOutput{SSHPublicKeys: make([]types.SSHPublicKeyMetadata, len(page)), IsTruncated: next != nil, Marker: next}
	for i, k := range page {
		out.SSHPublicKeys[i] = types.SSHPublicKeyMetadata{
			UserName:       aws.String(name),
			SSHPublicKeyId: aws.String(k.ID),
			Status:         statusOf(k.Active),
			UploadDate:     aws.Time(k.Uploaded),
		}
	}
	return out, nil
}

func (e *Emulator) UpdateSSHPublicKey(ctx context.Context, in *iam.UpdateSSHPublicKeyInput) (*iam.UpdateSSHPublicKeyOutput, error) {
	c := callerOf(ctx)
	active, err := settableStatus(in.Status)
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		k, err := authorizedSSHKey(tx, c, *in.UserName, *in.SSHPublicKeyId, "iam:UpdateSSHPublicKey")
		if err != nil {
			return err
		}
		k.Active = active
		return tx.PutSSHPublicKey(k)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateSSHPublicKeyOutput{}, nil
}

func (e *Emulator) DeleteSSHPublicKey(ctx context.Context, in *iam.DeleteSSHPublicKeyInput) (*iam.DeleteSSHPublicKeyOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		k, err := authorizedSSHKey(tx, c, *in.UserName, *in.SSHPublicKeyId, "iam:DeleteSSHPublicKey")
		if err != nil {
			return err
		}
		return tx.DeleteSSHPublicKey(k)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteSSHPublicKeyOutput{}, nil
}

// authorizedSSHKey loads key id of the named user once the caller may
// perform action on that user.
func authorizedSSHKey(tx *store.Tx, c wire.Caller, userName, id, action string) (*store.SSHPublicKey, error) {
	u, err := authorizedUser(tx, c, userName, action)
	if err != nil {
		return nil, err
	}
	return heldSSHKey(tx, u, id)
}

func sshKeyOut(userName string, k *store.SSHPublicKey, body string) *types.SSHPublicKey {
	return &types.SSHPublicKey{
		UserName:         aws.String(userName),
		SSHPublicKeyId:   aws.String(k.ID),
		Fingerprint:      aws.String(k.Fingerprint),
		SSHPublicKeyBody: aws.String(body),
		Status:           statusOf(k.Active),
		UploadDate:       aws.Time(k.Uploaded),
	}
}

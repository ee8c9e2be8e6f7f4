package emulator

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// certificatePrint parses an X.509 certificate in PEM form and returns the
// hex SHA-256 of its DER form, which identifies it in the account. Signing
// certificates sign requests with RSA, so another key type is refused.
func certificatePrint(body string) (string, error) {
	block, _ := pem.Decode([]byte(body))
	if block == nil || block.Type != "CERTIFICATE" {
		return "", malformedCertificate(body)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", malformedCertificate(body)
	}
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		return "", invalidCertificate()
	}
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:]), nil
}

// authorizedCertificate loads certificate id of the holder the request
// names (or the caller), or AWS's NoSuchEntity for it, once the caller may
// perform action on that holder.
func authorizedCertificate(tx *store.Tx, c wire.Caller, name *string, id, action string) (*store.SigningCertificate, error) {
	h, err := authorizedKeyHolder(tx, c, name, action)
	if err != nil {
		return nil, err
	}
	cert, err := tx.SigningCertificate(c.Account, h.id, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchCertificate(id)
	}
	return cert, err
}

func (e *Emulator) UploadSigningCertificate(ctx context.Context, in *iam.UploadSigningCertificateInput) (*iam.UploadSigningCertificateOutput, error) {
	c := callerOf(ctx)
	cert := &store.SigningCertificate{
		Account:  c.Account,
		ID:       signingCertificateID(),
		Body:     *in.CertificateBody,
		Active:   true,
		Uploaded: e.now(),
	}
	var h keyHolder
	err := e.db.Update(func(tx *store.Tx) error {
		var err error
		if h, err = authorizedKeyHolder(tx, c, in.UserName, "iam:UploadSigningCertificate"); err != nil {
			return err
		}
		if cert.Print, err = certificatePrint(cert.Body); err != nil {
			return err
		}
		certs, err := tx.SigningCertificates(c.Account, h.id)
		if err != nil {
			return err
		}
		// The quota (account.go) is SigningCertificatesPerUser in
		// GetAccountSummary, and CertificatesPerUser in AWS's refusal.
		if len(certs) >= maxSigningCertsPerUser {
			return quotaExceeded("CertificatesPerUser", maxSigningCertsPerUser)
		}
		cert.UserID = h.id
		if err := tx.CreateSigningCertificate(cert); errors.Is(err, store.ErrExists) {
			return duplicateCertificate()
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UploadSigningCertificateOutput{Certificate: certificateOut(h, cert)}, nil
}

func (e *Emulator) ListSigningCertificates(ctx context.Context, in *iam.ListSigningCertificatesInput) (*iam.ListSigningCertificatesOutput, error) {
	h, certs, err := listHeld(e, callerOf(ctx), in.UserName, "iam:ListSigningCertificates", (*store.Tx).SigningCertificates)
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListSigningCertificates", certs, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListSigningCertificatesOutput{Certificates: make([]types.SigningCertificate, len(page)), IsTruncated: next != nil, Marker: next}
	for i := range page {
		out.Certificates[i] = *certificateOut(h, &page[i])
	}
	return out, nil
}

func (e *Emulator) UpdateSigningCertificate(ctx context.Context, in *iam.UpdateSigningCertificateInput) (*iam.UpdateSigningCertificateOutput, error) {
	c := callerOf(ctx)
	active, err := settableStatus(in.Status)
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		cert, err := authorizedCertificate(tx, c, in.UserName, *in.CertificateId, "iam:UpdateSigningCertificate")
		if err != nil {
			return err
		}
		cert.Active = active
		return tx.PutSigningCertificate(cert)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateSigningCertificateOutput{}, nil
}

func (e *Emulator) DeleteSigningCertificate(ctx context.Context, in *iam.DeleteSigningCertificateInput) (*iam.DeleteSigningCertificateOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		cert, err := authorizedCertificate(tx, c, in.UserName, *in.CertificateId, "iam:DeleteSigningCertificate")
		if err != nil {
			return err
		}
		return tx.DeleteSigningCertificate(cert)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteSigningCertificateOutput{}, nil
}

// certificateOut is the SDK view of cert; the root user's certificates
// carry no UserName, as its access keys do not.
func certificateOut(h keyHolder, cert *store.SigningCertificate) *types.SigningCertificate {
	return &types.SigningCertificate{
		UserName:        optional(h.name),
		CertificateId:   aws.String(cert.ID),
		CertificateBody: aws.String(cert.Body),
		Status:          statusOf(cert.Active),
		UploadDate:      aws.Time(cert.Uploaded),
	}
}

// settableStatus is whether status makes a credential active; Expired is
// IAM's to set, not a caller's.
func settableStatus(status types.StatusType) (bool, error) {
	if status != types.StatusTypeActive && status != types.StatusTypeInactive {
		return false, invalidStatus(string(status))
	}
	return status == types.StatusTypeActive, nil
}

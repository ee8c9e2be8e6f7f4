package emulator

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// maxServerCertificates is the ServerCertificatesPerAccount quota
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const maxServerCertificates = 20

func serverCertARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":server-certificate" + path + name
}

// serverCert loads the named certificate, or AWS's NoSuchEntity for it.
func serverCert(tx *store.Tx, account, name string) (*store.ServerCertificate, error) {
	sc, err := tx.ServerCertificate(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchServerCertificate(name)
	}
	return sc, err
}

// authorizedServerCert loads the named certificate and checks that the
// caller may perform action on it.
func authorizedServerCert(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*store.ServerCertificate, error) {
	sc, err := serverCert(tx, c.Account, name)
	if err != nil {
		return nil, missingAuthorized(tx, c, action, serverCertARN(partition(c), c.Account, "/", name), err)
	}
	return sc, authorize(tx, c, action, serverCertARN(partition(c), sc.Account, sc.Path, sc.Name), append(resourceTagKeys(sc.Tags, false), keys...)...)
}

// parseCertificate is the first certificate of a PEM text.
func parseCertificate(text string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, certificateUnparsable()
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, certificateUnparsable()
	}
	return cert, nil
}

// parsePrivateKey reads an unencrypted PEM private key: PKCS#1 RSA, SEC 1
// EC (after the EC PARAMETERS block openssl may write first) or PKCS#8.
func parsePrivateKey(text string) (crypto.Signer, error) {
	rest := []byte(text)
	for {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			return nil, privateKeyUnparsable()
		}
		if block.Type == "EC PARAMETERS" {
			continue
		}
		var key any
		var err error
		switch block.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		default:
			return nil, privateKeyUnparsable() // encrypted keys included
		}
		signer, ok := key.(crypto.Signer)
		if err != nil || !ok {
			return nil, privateKeyUnparsable()
		}
		return signer, nil
	}
}

// checkChain checks that chain starts with the certificate that signed
// cert, each one followed by its own signer.
func checkChain(cert *x509.Certificate, chain string) error {
	var certs []*x509.Certificate
	for rest := []byte(chain); ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if block.Type != "CERTIFICATE" || err != nil {
			return certificateUnparsable()
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return certificateUnparsable()
	}
	if cert.CheckSignatureFrom(certs[0]) != nil {
		return certificateChainInvalid(-1)
	}
	for i := 0; i+1 < len(certs); i++ {
		if certs[i].CheckSignatureFrom(certs[i+1]) != nil {
			return certificateChainInvalid(i)
		}
	}
	return nil
}

// validServerCertificate parses a server certificate valid at now.
func validServerCertificate(body string, now time.Time) (*x509.Certificate, error) {
	cert, err := parseCertificate(body)
	if err != nil {
		return nil, err
	}
	if now.After(cert.NotAfter) {
		return nil, certificateExpired()
	}
	if now.Before(cert.NotBefore) {
		return nil, certificateUnparsable()
	}
	return cert, nil
}

// checkUpload parses and checks what UploadServerCertificate is given, as
// AWS does: the certificate valid now, the key its own, the chain its
// signers. The private key is only compared, never kept.
func checkUpload(in *iam.UploadServerCertificateInput, now time.Time) (*x509.Certificate, error) {
	cert, err := validServerCertificate(*in.CertificateBody, now)
	if err != nil {
		return nil, err
	}
	key, err := parsePrivateKey(*in.PrivateKey)
	if err != nil {
		return nil, err
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, keyPairMismatch()
	}
	if in.CertificateChain != nil {
		if err := checkChain(cert, *in.CertificateChain); err != nil {
			return nil, err
		}
	}
	return cert, nil
}

func (e *Emulator) UploadServerCertificate(ctx context.Context, in *iam.UploadServerCertificateInput) (*iam.UploadServerCertificateOutput, error) {
	c := callerOf(ctx)
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	cert, err := checkUpload(in, e.clock.Now())
	if err != nil {
		return nil, err
	}
	sc := &store.ServerCertificate{
		Account:    c.Account,
		Name:       *in.ServerCertificateName,
		Path:       aws.ToString(in.Path),
		ID:         uniqueID(prefixServerCert),
		Body:       *in.CertificateBody,
		Chain:      aws.ToString(in.CertificateChain),
		Uploaded:   e.now(),
		Expiration: cert.NotAfter.UTC(),
		Tags:       tags,
	}
	if sc.Path == "" {
		sc.Path = "/"
	}
	err = e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:UploadServerCertificate", serverCertARN(partition(c), c.Account, sc.Path, sc.Name), requestTagKeys(sc.Tags)...); err != nil {
			return err
		}
		if n, err := tx.CountServerCertificates(c.Account); err != nil {
			return err
		} else if n >= maxServerCertificates {
			return quotaExceeded("ServerCertificatesPerAccount", maxServerCertificates)
		}
		if err := tx.CreateServerCertificate(sc); errors.Is(err, store.ErrExists) {
			return serverCertificateExists(sc.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &iam.UploadServerCertificateOutput{ServerCertificateMetadata: serverCertMetadata(partition(c), sc)}
	if len(tags) > 0 {
		out.Tags = tagsOut(tags)
	}
	return out, nil
}

func serverCertMetadata(partition string, sc *store.ServerCertificate) *types.ServerCertificateMetadata {
	return &types.ServerCertificateMetadata{
		Path:                  aws.String(sc.Path),
		ServerCertificateName: aws.String(sc.Name),
		ServerCertificateId:   aws.String(sc.ID),
		Arn:                   aws.String(serverCertARN(partition, sc.Account, sc.Path, sc.Name)),
		UploadDate:            aws.Time(sc.Uploaded),
		Expiration:            aws.Time(sc.Expiration),
	}
}

// GetServerCertificate returns the body and chain, never the private key
// (iamlocal does not keep it).
func (e *Emulator) GetServerCertificate(ctx context.Context, in *iam.GetServerCertificateInput) (*iam.GetServerCertificateOutput, error) {
	c := callerOf(ctx)
	var out *types.ServerCertificate
	err := e.db.View(func(tx *store.Tx) error {
		sc, err := authorizedServerCert(tx, c, *in.ServerCertificateName, "iam:GetServerCertificate")
		if err != nil {
			return err
		}
		out = &types.ServerCertificate{
			ServerCertificateMetadata: serverCertMetadata(partition(c), sc),
			CertificateBody:           aws.String(sc.Body),
			Tags:                      tagsOut(sc.Tags), // AWS lists Tags even when empty
		}
		if sc.Chain != "" {
			out.CertificateChain = aws.String(sc.Chain)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetServerCertificateOutput{ServerCertificate: out}, nil
}

func (e *Emulator) ListServerCertificates(ctx context.Context, in *iam.ListServerCertificatesInput) (*iam.ListServerCertificatesOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListServerCertificates", in.Marker)
	if err != nil {
		return nil, err
	}
	prefix, limit := aws.ToString(in.PathPrefix), pageSize(in.MaxItems)
	out := &iam.ListServerCertificatesOutput{ServerCertificateMetadataList: []types.ServerCertificateMetadata{}}
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListServerCertificates", "*"); err != nil {
			return err
		}
		return tx.ServerCertificates(c.Account, after, func(sc *store.ServerCertificate) (bool, error) {
			if !strings.HasPrefix(sc.Path, prefix) {
				return true, nil
			}
			list := out.ServerCertificateMetadataList
			if len(list) == limit {
				out.IsTruncated = true
				out.Marker = encodeMarker("ListServerCertificates", store.FoldName(*list[limit-1].ServerCertificateName))
				return false, nil
			}
			out.ServerCertificateMetadataList = append(list, *serverCertMetadata(partition(c), sc))
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateServerCertificate renames or moves a certificate; the caller needs
// the permission on both the old and the new ARN, as AWS documents.
func (e *Emulator) UpdateServerCertificate(ctx context.Context, in *iam.UpdateServerCertificateInput) (*iam.UpdateServerCertificateOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		sc, err := authorizedServerCert(tx, c, *in.ServerCertificateName, "iam:UpdateServerCertificate")
		if err != nil {
			return err
		}
		oldName := sc.Name
		if in.NewServerCertificateName != nil {
			sc.Name = *in.NewServerCertificateName
		}
		if in.NewPath != nil {
			sc.Path = *in.NewPath
		}
		if err := authorize(tx, c, "iam:UpdateServerCertificate", serverCertARN(partition(c), sc.Account, sc.Path, sc.Name)); err != nil {
			return err
		}
		if err := tx.UpdateServerCertificate(oldName, sc); errors.Is(err, store.ErrExists) {
			return serverCertificateExists(sc.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateServerCertificateOutput{}, nil
}

func (e *Emulator) DeleteServerCertificate(ctx context.Context, in *iam.DeleteServerCertificateInput) (*iam.DeleteServerCertificateOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		sc, err := authorizedServerCert(tx, c, *in.ServerCertificateName, "iam:DeleteServerCertificate")
		if err != nil {
			return err
		}
		return tx.DeleteServerCertificate(sc)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteServerCertificateOutput{}, nil
}

// serverCertTags is the server certificates' taggable family; its quota
// name is inferred from TagsPerUser.
var serverCertTags = taggable[store.ServerCertificate]{
	quota: "TagsPerServerCertificate", list: "ListServerCertificateTags",
	load: authorizedServerCert,
	tags: func(sc *store.ServerCertificate) *[]store.Tag { return &sc.Tags },
	save: func(tx *store.Tx, sc *store.ServerCertificate) error { return tx.UpdateServerCertificate(sc.Name, sc) },
}

func (e *Emulator) TagServerCertificate(ctx context.Context, in *iam.TagServerCertificateInput) (*iam.TagServerCertificateOutput, error) {
	if err := tagEntity(e, ctx, serverCertTags, *in.ServerCertificateName, "iam:TagServerCertificate", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagServerCertificateOutput{}, nil
}

func (e *Emulator) UntagServerCertificate(ctx context.Context, in *iam.UntagServerCertificateInput) (*iam.UntagServerCertificateOutput, error) {
	if err := untagEntity(e, ctx, serverCertTags, *in.ServerCertificateName, "iam:UntagServerCertificate", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagServerCertificateOutput{}, nil
}

func (e *Emulator) ListServerCertificateTags(ctx context.Context, in *iam.ListServerCertificateTagsInput) (*iam.ListServerCertificateTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, serverCertTags, *in.ServerCertificateName, "iam:ListServerCertificateTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListServerCertificateTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}

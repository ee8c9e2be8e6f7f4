package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeAWS answers list-policies and get-policy-version as the AWS CLI
// prints them: dates with offsets, documents decoded and indented.
func fakeAWS(args ...string) ([]byte, error) {
	switch strings.Join(args[:2], " ") {
	case "iam list-policies":
		return []byte(`{"Policies":[
 {"PolicyName":"ReadOnlyAccess","PolicyId":"ANPAILL3HVNFSB6DCOWYQ","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","Path":"/","DefaultVersionId":"v182","AttachmentCount":0,"IsAttachable":true,"CreateDate":"2015-02-06T18:39:48+00:00","UpdateDate":"2026-04-03T15:27:12+00:00"},
 {"PolicyName":"AdministratorAccess","PolicyId":"ANPAIWMBCKSKIEE64ZLYK","Arn":"arn:aws:iam::aws:policy/AdministratorAccess","Path":"/","DefaultVersionId":"v1","AttachmentCount":0,"IsAttachable":true,"CreateDate":"2015-02-06T18:39:46+00:00","UpdateDate":"2015-02-06T18:39:46+00:00"}]}`), nil
	case "iam get-policy-version":
		return []byte(`{"PolicyVersion": {"Document": {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
  }, "VersionId": "v1", "IsDefaultVersion": true}}`), nil
	}
	return nil, errors.New("unexpected aws " + strings.Join(args, " "))
}

func TestRefreshWritesTheSnapshotShape(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p.json.gz")
	if err := refresh(fakeAWS, 2, out, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if got, want := len(s.Policies), 2; got != want {
		t.Fatalf("policies=%d, want %d", got, want)
	}
	p := s.Policies[0]
	if got, want := p.PolicyName+" "+p.PolicyId+" "+p.DefaultVersionId, "AdministratorAccess ANPAIWMBCKSKIEE64ZLYK v1"; got != want {
		t.Fatalf("first policy=%s, want %s (sorted by name)", got, want)
	}
	if got, want := string(p.Document), `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`; got != want {
		t.Fatalf("Document=%s, want %s (compact, AWS's key order)", got, want)
	}
	if !bytes.HasPrefix(raw, []byte(`{"Source":"AWS managed policies from aws iam list-policies --scope AWS and get-policy-version, 2026-03-01","Policies":[{"PolicyName":"AdministratorAccess","Arn":`)) {
		t.Fatalf("file starts %.160s, want the snapshot's field order", raw)
	}
}

func TestRefreshFailsWhenADocumentCannotBeRead(t *testing.T) {
	failing := func(args ...string) ([]byte, error) {
		if args[1] == "get-policy-version" {
			return nil, errors.New("AccessDenied")
		}
		return fakeAWS(args...)
	}
	out := filepath.Join(t.TempDir(), "p.json.gz")
	if err := refresh(failing, 2, out, time.Now()); err == nil {
		t.Fatal("refresh succeeded, want the AccessDenied error")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("output file: %v, want none written", err)
	}
}

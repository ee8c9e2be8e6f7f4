// Command refresh rebuilds the AWS managed policy snapshot from an AWS
// account with the AWS CLI: `aws iam list-policies --scope AWS`, then
// `aws iam get-policy-version` for each policy's default version. It
// writes the gzipped JSON that package managed embeds. It is run by hand
// (see ../../README.md), never in CI.
//
//	go run ./emulator/managed/internal/refresh -o emulator/managed/aws-managed-policies.json.gz -- --profile audit
//
// Arguments after -- go to every aws command. Any identity that may call
// iam:ListPolicies and iam:GetPolicyVersion will do.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

// policy is one entry of the snapshot, its fields in the file's order.
type policy struct {
	PolicyName       string
	Arn              string
	Path             string
	DefaultVersionId string
	CreateDate       string
	UpdateDate       string
	Document         json.RawMessage
	PolicyId         string `json:",omitempty"`
}

type snapshot struct {
	Source   string
	Policies []policy
}

// runAWS runs one aws command and returns its JSON output.
type runAWS func(args ...string) ([]byte, error)

func main() {
	out := flag.String("o", "aws-managed-policies.json.gz", "file to write")
	awsBin := flag.String("aws", "aws", "AWS CLI to run")
	parallel := flag.Int("parallel", 4, "get-policy-version calls at a time")
	flag.Parse()
	run := func(args ...string) ([]byte, error) {
		args = append(append(args, "--output", "json"), flag.Args()...)
		var stderr bytes.Buffer
		cmd := exec.Command(*awsBin, args...)
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("aws %s: %v: %s", strings.Join(args, " "), err, stderr.Bytes())
		}
		return b, nil
	}
	if err := refresh(run, *parallel, *out, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "refresh:", err)
		os.Exit(1)
	}
}

func refresh(run runAWS, parallel int, out string, now time.Time) error {
	s, err := fetch(run, parallel)
	if err != nil {
		return err
	}
	s.Source = "AWS managed policies from aws iam list-policies --scope AWS and get-policy-version, " + now.UTC().Format(time.DateOnly)
	gz, err := encode(s)
	if err != nil {
		return err
	}
	return os.WriteFile(out, gz, 0o644)
}

// fetch lists the AWS managed policies and reads each default version's
// document. The AWS CLI pages through the list itself, and hands the
// URL-encoded document back decoded, keys in AWS's order.
func fetch(run runAWS, parallel int) (*snapshot, error) {
	b, err := run("iam", "list-policies", "--scope", "AWS")
	if err != nil {
		return nil, err
	}
	var list struct{ Policies []policy }
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("list-policies: %v", err)
	}
	if len(list.Policies) == 0 {
		return nil, errors.New("list-policies returned no policies")
	}
	work := make(chan *policy)
	errs := make(chan error, len(list.Policies))
	var wg sync.WaitGroup
	for range max(parallel, 1) {
		wg.Go(func() {
			for p := range work {
				if err := fetchDocument(run, p); err != nil {
					errs <- err
				}
			}
		})
	}
	for i := range list.Policies {
		work <- &list.Policies[i]
	}
	close(work)
	wg.Wait()
	close(errs)
	var failed []error
	for err := range errs {
		failed = append(failed, err)
	}
	if err := errors.Join(failed...); err != nil {
		return nil, err
	}
	slices.SortFunc(list.Policies, func(a, b policy) int { return strings.Compare(a.PolicyName, b.PolicyName) })
	return &snapshot{Policies: list.Policies}, nil
}

func fetchDocument(run runAWS, p *policy) error {
	b, err := run("iam", "get-policy-version", "--policy-arn", p.Arn, "--version-id", p.DefaultVersionId)
	if err != nil {
		return err
	}
	var v struct {
		PolicyVersion struct{ Document json.RawMessage }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("get-policy-version %s: %v", p.Arn, err)
	}
	var doc bytes.Buffer
	if err := json.Compact(&doc, v.PolicyVersion.Document); err != nil || !bytes.HasPrefix(doc.Bytes(), []byte("{")) {
		return fmt.Errorf("get-policy-version %s: document is not a JSON object", p.Arn)
	}
	p.Document = doc.Bytes()
	return nil
}

func encode(s *snapshot) ([]byte, error) {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(bytes.TrimSuffix(raw.Bytes(), []byte("\n"))); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return gz.Bytes(), nil
}

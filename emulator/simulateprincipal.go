package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy run the
// simulator over the policies stored for a user, group or role: for a user
// its own and those of each of its groups (IAM API reference,
// SimulatePrincipalPolicy, PolicySourceArn).
//
// How a stored policy is named in MatchedStatements: an inline policy by
// its name with the type of its owner ("user", "group", "role"), as the
// AWS CLI's simulate-principal-policy example shows ("SourcePolicyId":
// "Grant-Access-To-CodeCommit-ListRepo" for a user's inline policy); a
// managed policy by its name too, with the type "aws-managed" or
// "user-managed" (the model's PolicySourceType values; the name rather than
// the ARN is inferred).

// principalSource is the entity a principal simulation reads, and its
// policies.
type principalSource struct {
	kind     string // "user", "group" or "role"
	arn      string
	identity []*simulated
	boundary *simulated // nil when it has none
}

func (e *Emulator) SimulatePrincipalPolicy(ctx context.Context, in *iam.SimulatePrincipalPolicyInput) (*iam.SimulatePrincipalPolicyOutput, error) {
	c := callerOf(ctx)
	s, err := newSimulation(in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy, in.ContextEntries)
	if err != nil {
		return nil, err
	}
	var src *principalSource
	err = e.db.View(func(tx *store.Tx) (err error) {
		src, err = loadPrincipalSource(tx, c, aws.ToString(in.PolicySourceArn), "iam:SimulatePrincipalPolicy")
		return err
	})
	if err != nil {
		return nil, err
	}
	callerARN := aws.ToString(in.CallerArn)
	if callerARN == "" && src.kind == "user" {
		callerARN = src.arn
	}
	if s.resource != nil && callerARN == "" {
		return nil, simulationCallerRequired()
	}
	s.identity = append(src.identity, s.identity...)
	if len(s.boundaries) == 0 && src.boundary != nil {
		// A boundary passed in replaces the entity's own (the
		// PermissionsBoundaryPolicyInputList documentation).
		s.boundaries = []*simulated{src.boundary}
	}
	page, next, err := s.page("SimulatePrincipalPolicy", callerARN, in.ActionNames, in.ResourceArns, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.SimulatePrincipalPolicyOutput{EvaluationResults: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) GetContextKeysForPrincipalPolicy(ctx context.Context, in *iam.GetContextKeysForPrincipalPolicyInput) (*iam.GetContextKeysForPrincipalPolicyOutput, error) {
	c := callerOf(ctx)
	extra, err := simulatedList("PolicyInputList", in.PolicyInputList, policy.Parse)
	if err != nil {
		return nil, err
	}
	var src *principalSource
	err = e.db.View(func(tx *store.Tx) (err error) {
		src, err = loadPrincipalSource(tx, c, aws.ToString(in.PolicySourceArn), "iam:GetContextKeysForPrincipalPolicy")
		return err
	})
	if err != nil {
		return nil, err
	}
	var keys keyList
	for _, p := range append(src.identity, extra...) {
		for _, st := range p.statements {
			keys.add(st.keys...)
		}
	}
	return &iam.GetContextKeysForPrincipalPolicyOutput{ContextKeyNames: keys.names()}, nil
}

// loadPrincipalSource loads the user, group or role arn names and its
// policies, after checking that the caller may perform action on it.
func loadPrincipalSource(tx *store.Tx, c wire.Caller, arn, action string) (*principalSource, error) {
	kind, name, ok := principalOfARN(c, arn)
	if !ok {
		return nil, invalidSimulationSource(arn)
	}
	if denied := authorize(tx, c, action, arn); denied != nil {
		return nil, denied
	}
	r := simulationReader{tx: tx, account: c.Account, partition: partition(c)}
	src := &principalSource{kind: kind, arn: arn}
	switch kind {
	case "user":
		u, err := user(tx, c.Account, name)
		if err != nil {
			return nil, err
		}
		r.principal("user", u.ID)
		groups, err := userGroups(tx, u)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			r.principal("group", g.ID)
		}
		src.boundary = r.managed(u.Boundary)
	case "group":
		g, err := group(tx, c.Account, name)
		if err != nil {
			return nil, err
		}
		r.principal("group", g.ID)
	case "role":
		role, err := tx.Role(c.Account, name)
		if errors.Is(err, store.ErrNotFound) {
			return nil, noSuchRole(name)
		}
		if err != nil {
			return nil, err
		}
		r.principal("role", role.ID)
		src.boundary = r.managed(role.Boundary)
	}
	src.identity = r.identity
	return src, r.err
}

// principalOfARN reads "arn:<partition>:iam::<account>:user/<path><name>"
// (or group, role) in the caller's partition and account. Any other ARN is
// not one the simulator can read policies for.
func principalOfARN(c wire.Caller, arn string) (kind, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:"+partition(c)+":iam::"+c.Account+":")
	if !ok {
		return "", "", false
	}
	kind, rest, ok = strings.Cut(rest, "/")
	if !ok || kind != "user" && kind != "group" && kind != "role" {
		return "", "", false
	}
	name = rest[strings.LastIndexByte(rest, '/')+1:]
	return kind, name, name != ""
}

// simulationReader collects a principal's stored policies as the simulator
// reports them, keeping the first error; it reads what policyReader reads
// for enforcement, keeping each document's text for statement positions.
type simulationReader struct {
	tx                 *store.Tx
	account, partition string
	identity           []*simulated
	err                error
}

// principal adds the inline policies (of type kind) and the attached
// policies of the principal id.
func (r *simulationReader) principal(kind, id string) {
	if r.err != nil {
		return
	}
	err := eachStoredPolicy(r.tx, r.account, id,
		func(ip *store.InlinePolicy) { r.add(storedSimulated(ip.Name, kind, ip.Document)) },
		func(ref string) { r.add(r.managed(ref)) })
	if err != nil {
		r.err = err
	}
}

func (r *simulationReader) add(p *simulated) {
	if p != nil {
		r.identity = append(r.identity, p)
	}
}

// managed is the default version of the managed policy ref names, nil when
// ref is "" or the policy is gone.
func (r *simulationReader) managed(ref string) *simulated {
	if r.err != nil || ref == "" {
		return nil
	}
	mp, err := findPolicy(r.tx, r.account, ref)
	if err != nil || mp == nil {
		r.err = err
		return nil
	}
	if mp.aws != nil {
		return storedSimulated(mp.name(), "aws-managed", awsLayout(mp.aws.Document))
	}
	v, ok := mp.customer.Version(mp.customer.Default)
	if !ok {
		return nil
	}
	return storedSimulated(mp.name(), "user-managed", v.Document)
}

// storedSimulated is a stored document for the simulator; one that no
// longer parses is left out, as enforcement leaves it out.
func storedSimulated(id, kind, doc string) *simulated {
	p, err := newSimulated(id, kind, doc, policy.Parse)
	if err != nil {
		return nil
	}
	return p
}

// awsLayout lays out an AWS managed policy's document as AWS shows it, so
// that statement positions are AWS's: Version, then Statement, indented by
// two spaces (AdministratorAccess's first statement starts at Line 3
// Column 17 on AWS). The catalogue keeps documents compact with their keys
// sorted, which would put every statement on line 1. Key order inside a
// statement does not move a position.
func awsLayout(doc string) string {
	var top map[string]json.RawMessage
	if json.Unmarshal([]byte(doc), &top) != nil {
		return doc
	}
	var b bytes.Buffer
	b.WriteString("{")
	sep := "\n"
	for _, key := range []string{"Version", "Id", "Statement"} {
		v, ok := top[key]
		if !ok {
			continue
		}
		b.WriteString(sep + "  \"" + key + "\": ")
		if json.Indent(&b, v, "  ", "  ") != nil {
			return doc
		}
		sep = ",\n"
	}
	b.WriteString("\n}")
	return b.String()
}

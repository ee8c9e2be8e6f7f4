package emulator

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
)

// The policy simulator runs the enforcement engine (policy.Evaluate) over
// policies given as text (here) or stored for a principal
// (simulateprincipal.go).

// simulated is one submitted document: its label in results
// ("PolicyInputList.1"), its type as AWS reports it, the whole policy
// compiled, and each statement alone, for listing every statement that
// matches and the context keys each one needs.
type simulated struct {
	id, kind   string
	version    string
	whole      *policy.Compiled
	statements []simulatedStatement
}

type simulatedStatement struct {
	effect     policy.Effect
	alone      *policy.Compiled // the statement with its conditions
	bare       *policy.Compiled // the statement without conditions: does it concern the request?
	start, end types.Position
	keys       []string // the context keys it reads, as written
}

// Source policy types as AWS reports them for submitted documents, with
// the ids "PolicyInputList.N", "PermissionsBoundaryPolicyInputList.1" and
// "ResourcePolicy" (published SimulateCustomPolicy answers).
const (
	identitySourceType = "IAM Policy"
	resourceSourceType = "Resource Policy"
)

func (e *Emulator) SimulateCustomPolicy(ctx context.Context, in *iam.SimulateCustomPolicyInput) (*iam.SimulateCustomPolicyOutput, error) {
	c := callerOf(ctx)
	s, err := newSimulation(in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy, in.ContextEntries)
	if err != nil {
		return nil, err
	}
	err = e.db.View(func(tx *store.Tx) error {
		return authorize(tx, c, "iam:SimulateCustomPolicy", "*")
	})
	if err != nil {
		return nil, err
	}
	callerARN := aws.ToString(in.CallerArn)
	if callerARN == "" {
		callerARN = c.ARN
	}
	page, next, err := s.page("SimulateCustomPolicy", callerARN, in.ActionNames, in.ResourceArns, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.SimulateCustomPolicyOutput{EvaluationResults: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) GetContextKeysForCustomPolicy(ctx context.Context, in *iam.GetContextKeysForCustomPolicyInput) (*iam.GetContextKeysForCustomPolicyOutput, error) {
	c := callerOf(ctx)
	policies, err := simulatedList("PolicyInputList", in.PolicyInputList, policy.Parse)
	if err != nil {
		return nil, err
	}
	err = e.db.View(func(tx *store.Tx) error {
		return authorize(tx, c, "iam:GetContextKeysForCustomPolicy", "*")
	})
	if err != nil {
		return nil, err
	}
	var keys keyList
	for _, p := range policies {
		for _, st := range p.statements {
			keys.add(st.keys...)
		}
	}
	return &iam.GetContextKeysForCustomPolicyOutput{ContextKeyNames: keys.names()}, nil
}

// arnAccount is the account field of an ARN, "" when it has none.
func arnAccount(arn string) string {
	fields := strings.SplitN(arn, ":", 6)
	if len(fields) < 6 {
		return ""
	}
	return fields[4]
}

func simulatedList(label string, docs []string, parse func(string) (*policy.Document, error)) ([]*simulated, error) {
	out := make([]*simulated, 0, len(docs))
	for i, doc := range docs {
		p, err := newSimulated(label+"."+strconv.Itoa(i+1), identitySourceType, doc, parse)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func newSimulated(id, kind, text string, parse func(string) (*policy.Document, error)) (*simulated, error) {
	doc, err := parse(text)
	if err != nil {
		return nil, simulationPolicyInvalid(err)
	}
	raw := scanStatements(text, doc.Version == "2012-10-17")
	if len(raw) != len(doc.Statements) {
		return nil, simulationPolicyInvalid(nil)
	}
	p := &simulated{id: id, kind: kind, version: doc.Version, whole: policy.Compile(id, doc)}
	for i, st := range doc.Statements {
		bare := st
		bare.Conditions = nil
		p.statements = append(p.statements, simulatedStatement{
			effect: st.Effect,
			alone:  policy.Compile(id, &policy.Document{Version: doc.Version, Statements: []policy.Statement{st}}),
			bare:   policy.Compile(id, &policy.Document{Version: doc.Version, Statements: []policy.Statement{bare}}),
			start:  raw[i].start, end: raw[i].end, keys: raw[i].keys,
		})
	}
	return p, nil
}

// simulationPolicyInvalid answers a document the policy package refused.
func simulationPolicyInvalid(err error) error {
	if pe, ok := err.(*policy.Error); ok {
		return invalidSimulationPolicy(pe.Message)
	}
	return invalidSimulationPolicy("Syntax errors in policy.")
}

// simulationContext converts ContextEntries to the engine's context: keys
// lower-cased, values as given (the engine reads each as its operator
// requires, as it reads a request's).
func simulationContext(entries []types.ContextEntry) map[string][]string {
	ctx := map[string][]string{}
	for _, entry := range entries {
		key := strings.ToLower(aws.ToString(entry.ContextKeyName))
		ctx[key] = append(ctx[key], entry.ContextKeyValues...)
	}
	return ctx
}

type simulation struct {
	identity, boundaries []*simulated
	resource             *simulated
	context              map[string][]string
	caller               policy.Caller
}

// newSimulation parses what both simulators are given as text: identity
// policies, a permissions boundary, a resource policy, context entries.
func newSimulation(identity, boundaries []string, resource *string, entries []types.ContextEntry) (*simulation, error) {
	s := &simulation{context: simulationContext(entries)}
	var err error
	if s.identity, err = simulatedList("PolicyInputList", identity, policy.ParseIdentity); err != nil {
		return nil, err
	}
	if s.boundaries, err = simulatedList("PermissionsBoundaryPolicyInputList", boundaries, policy.ParseIdentity); err != nil {
		return nil, err
	}
	if resource != nil {
		if s.resource, err = newSimulated("ResourcePolicy", resourceSourceType, *resource, policy.Parse); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// page runs the simulation as callerARN and answers the page of results
// marker and maxItems ask for.
func (s *simulation) page(list, callerARN string, actions, resources []string, marker *string, maxItems *int32) ([]types.EvaluationResult, *string, error) {
	s.caller = policy.Caller{Type: "AWS", ID: callerARN, Account: arnAccount(callerARN)}
	return pageOf(list, s.run(actions, resources), marker, maxItems)
}

// run evaluates every action on every resource, in the order given: one
// result per pair, as AWS answers.
func (s *simulation) run(actions, resources []string) []types.EvaluationResult {
	var results []types.EvaluationResult
	for _, action := range actions {
		if len(resources) == 0 {
			results = append(results, s.result(action, "*", false))
			continue
		}
		for _, r := range resources {
			results = append(results, s.result(action, r, true))
		}
	}
	return results
}

func (s *simulation) result(action, resource string, specific bool) types.EvaluationResult {
	req := &policy.Request{Action: action, Resource: resource, Context: s.context, Principal: s.caller}
	d := policy.Evaluate(req, s.policySet())
	decision := evalDecision(d)
	matched := s.matched(req, d)
	missing := s.missingKeys(req)
	out := types.EvaluationResult{EvalActionName: aws.String(action), EvalResourceName: aws.String(resource),
		EvalDecision: decision, MatchedStatements: matched, MissingContextValues: missing}
	if len(s.boundaries) > 0 {
		out.PermissionsBoundaryDecisionDetail = &types.PermissionsBoundaryDecisionDetail{
			AllowedByPermissionsBoundary: s.boundaryAllows(req)}
	}
	if specific {
		// AWS: "If the simulation … includes a resource ARN, then the
		// parameter is present but the response is empty", and the missing
		// context values move to the resource's result.
		out.EvalDecisionDetails = map[string]types.PolicyEvaluationDecisionType{}
		out.MissingContextValues = []string{}
		out.ResourceSpecificResults = []types.ResourceSpecificResult{{EvalResourceName: aws.String(resource),
			EvalResourceDecision: decision, MatchedStatements: matched, MissingContextValues: missing,
			PermissionsBoundaryDecisionDetail: out.PermissionsBoundaryDecisionDetail}}
	}
	return out
}

func (s *simulation) policySet() *policy.PolicySet {
	set := &policy.PolicySet{}
	for _, p := range s.identity {
		set.Identity = append(set.Identity, p.whole)
	}
	if len(s.boundaries) > 0 {
		// AWS: "You can input only one permissions boundary when you pass
		// a policy to this operation."
		set.Boundary = s.boundaries[0].whole
	}
	if s.resource != nil {
		set.Resource = s.resource.whole
	}
	return set
}

func evalDecision(d policy.Decision) types.PolicyEvaluationDecisionType {
	switch {
	case d.Allowed:
		return types.PolicyEvaluationDecisionTypeAllowed
	case d.Reason.ExplicitDeny():
		return types.PolicyEvaluationDecisionTypeExplicitDeny
	}
	return types.PolicyEvaluationDecisionTypeImplicitDeny
}

// matched lists the statements that decide: every matching Deny when the
// request is denied explicitly (AWS: "the deny statement is the only
// entry"), every matching Allow of the identity and resource policies when
// it is allowed, none for an implicit deny.
func (s *simulation) matched(req *policy.Request, d policy.Decision) []types.Statement {
	out := []types.Statement{}
	if !d.Allowed && !d.Reason.ExplicitDeny() {
		return out
	}
	// The resource policy's statements come first, as in AWS's answers.
	var all []*simulated
	if s.resource != nil {
		all = append(all, s.resource)
	}
	all = append(all, s.identity...)
	effect := policy.Allow
	if !d.Allowed {
		effect = policy.Deny
		all = append(all, s.boundaries...)
	}
	for _, p := range all {
		for i := range p.statements {
			st := &p.statements[i]
			if st.effect == effect && st.applies(req, st.alone, p == s.resource) {
				out = append(out, types.Statement{SourcePolicyId: aws.String(p.id), SourcePolicyType: types.PolicySourceType(p.kind),
					StartPosition: &st.start, EndPosition: &st.end})
			}
		}
	}
	return out
}

// applies reports whether the statement, compiled alone as c, matches the
// request: the engine decides by it alone.
func (st *simulatedStatement) applies(req *policy.Request, c *policy.Compiled, resourcePolicy bool) bool {
	set := &policy.PolicySet{Identity: []*policy.Compiled{c}}
	if resourcePolicy {
		set = &policy.PolicySet{Resource: c}
	}
	d := policy.Evaluate(req, set)
	if st.effect == policy.Deny {
		return d.Reason.ExplicitDeny()
	}
	// A resource policy's Allow that names the caller's account only
	// delegates to the identity policies: it allows nothing alone, and is
	// not listed.
	return d.Allowed
}

// missingKeys are the context keys that the statements concerning the
// request (their action and resource match) read and the request lacks.
func (s *simulation) missingKeys(req *policy.Request) []string {
	var keys keyList
	all := append(append(append([]*simulated{}, s.identity...), s.boundaries...), s.resource)
	for _, p := range all {
		if p == nil {
			continue
		}
		for i := range p.statements {
			st := &p.statements[i]
			if len(st.keys) == 0 || !st.applies(req, st.bare, p == s.resource) {
				continue
			}
			for _, k := range st.keys {
				if _, ok := s.context[strings.ToLower(k)]; !ok {
					keys.add(k)
				}
			}
		}
	}
	return keys.names()
}

// boundaryAllows reports whether the permissions boundary alone allows
// the request.
func (s *simulation) boundaryAllows(req *policy.Request) bool {
	return policy.Evaluate(req, &policy.PolicySet{Identity: []*policy.Compiled{s.boundaries[0].whole}}).Allowed
}

// keyList collects context key names in first-seen order, without
// repeats: keys match case-insensitively, and the first spelling stays.
type keyList struct {
	seen  map[string]bool
	order []string
}

func (l *keyList) add(keys ...string) {
	for _, k := range keys {
		lower := strings.ToLower(k)
		if l.seen[lower] {
			continue
		}
		if l.seen == nil {
			l.seen = map[string]bool{}
		}
		l.seen[lower] = true
		l.order = append(l.order, k)
	}
}

func (l *keyList) names() []string {
	if l.order == nil {
		return []string{}
	}
	return l.order
}

// rawStatement is what the simulator reports of a statement from the
// document's text: where it is and the context keys it reads as written.
type rawStatement struct {
	start, end types.Position
	keys       []string
}

// scanStatements walks a document that parsed, in text order. A statement
// starts where AWS's parser stood before reading it (just after the "[" for
// the first, just after the previous statement's "}" for the next: the
// recorded examples, Line 3 Column 17 for AdministratorAccess's first
// statement, are the column after "[") and ends just after its "}". Lines
// and columns count from 1. Keys are the condition keys and, with
// variables (Version 2012-10-17), the ${…} variables of resources and
// condition values.
func scanStatements(doc string, variables bool) []rawStatement {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []rawStatement
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if key != "Statement" {
			if skipValue(dec) != nil {
				return nil
			}
			continue
		}
		from := afterColon(doc, int(dec.InputOffset()))
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		if t == json.Delim('{') {
			out = append(out, scanStatement(dec, doc, from, variables))
			continue
		}
		from = int(dec.InputOffset())
		for dec.More() {
			if t, err := dec.Token(); err != nil || t != json.Delim('{') {
				return nil
			}
			st := scanStatement(dec, doc, from, variables)
			out = append(out, st)
			from = int(dec.InputOffset())
		}
		if _, err := dec.Token(); err != nil {
			return nil
		}
	}
	return out
}

func afterColon(doc string, i int) int {
	for i < len(doc) && strings.ContainsRune(" \t\r\n", rune(doc[i])) {
		i++
	}
	if i < len(doc) && doc[i] == ':' {
		i++
	}
	return i
}

// scanStatement reads one statement whose "{" the decoder has read.
func scanStatement(dec *json.Decoder, doc string, from int, variables bool) rawStatement {
	var keys []string
	for dec.More() {
		t, _ := dec.Token()
		var v any
		if dec.Decode(&v) != nil {
			break
		}
		switch t {
		case "Resource", "NotResource":
			if variables {
				keys = appendVariables(keys, v)
			}
		case "Condition":
			keys = append(keys, conditionKeys(doc, v, variables)...)
		}
	}
	dec.Token() // "}"
	end := int(dec.InputOffset())
	return rawStatement{start: positionAt(doc, from), end: positionAt(doc, end), keys: keys}
}

// conditionKeys lists a Condition block's keys as written, in text order
// (decoding into a map loses it, so the block is read again from its text).
func conditionKeys(doc string, block any, variables bool) []string {
	ops, _ := block.(map[string]any)
	var keys []string
	for _, op := range orderedKeys(doc, ops) {
		m, _ := ops[op].(map[string]any)
		for _, k := range orderedKeys(doc, m) {
			keys = append(keys, k)
			if variables {
				keys = appendVariables(keys, m[k])
			}
		}
	}
	return keys
}

// orderedKeys sorts a map's keys by where they first appear, quoted, in the
// document: good enough for the order of keys, which AWS reports as
// written.
func orderedKeys(doc string, m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	pos := func(k string) int {
		b, _ := json.Marshal(k)
		return strings.Index(doc, string(b))
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && pos(keys[j]) < pos(keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// appendVariables appends the policy variables (${aws:username}, without a
// default value) of a string or a list of strings.
func appendVariables(keys []string, v any) []string {
	switch v := v.(type) {
	case string:
		for rest := v; ; {
			i := strings.Index(rest, "${")
			if i < 0 {
				return keys
			}
			j := strings.IndexByte(rest[i:], '}')
			if j < 0 {
				return keys
			}
			name, _, _ := strings.Cut(rest[i+2:i+j], ",")
			if name = strings.TrimSpace(name); strings.Contains(name, ":") {
				keys = append(keys, name)
			}
			rest = rest[i+j+1:]
		}
	case []any:
		for _, e := range v {
			keys = appendVariables(keys, e)
		}
	}
	return keys
}

func skipValue(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}

// positionAt is the line and column (from 1, counting characters) of the
// byte offset i of doc.
func positionAt(doc string, i int) types.Position {
	i = min(i, len(doc))
	line := strings.Count(doc[:i], "\n") + 1
	lineStart := strings.LastIndexByte(doc[:i], '\n') + 1
	return types.Position{Line: int32(line), Column: int32(utf8.RuneCountInString(doc[lineStart:i]) + 1)}
}

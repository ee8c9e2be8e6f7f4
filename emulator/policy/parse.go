package policy

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
)

// Parse reads a policy document with the grammar every IAM policy shares
// (top-level and statement elements, their types, Effect, condition
// blocks). It answers errSyntax for anything else; the checks that depend on
// the kind of policy are ParseIdentity's.
func Parse(doc string) (*Document, error) {
	d, _, err := parse(doc)
	if err != nil {
		return nil, err
	}
	d.lowerActions()
	return d, nil
}

// lowerActions lower-cases actions once checked: AWS's messages echo them
// as written, and IAM matches them case-insensitively.
func (d *Document) lowerActions() {
	for i := range d.Statements {
		s := &d.Statements[i]
		for _, list := range [][]string{s.Action, s.NotAction} {
			for j, a := range list {
				list[j] = strings.ToLower(a)
			}
		}
	}
}

// parsed carries what parsing saw but a later check reports: an Effect whose
// case differs from Allow or Deny parses, and AWS's legacy parser refuses it
// after the Version check.
type parsed struct {
	legacyEffect bool
}

var versions = []string{"2008-10-17", "2012-10-17"}

func parse(doc string) (*Document, parsed, error) {
	var notes parsed
	root, ok := decodeJSON(doc)
	if !ok {
		return nil, notes, errSyntax
	}
	top, ok := root.(map[string]any)
	if !ok {
		return nil, notes, errSyntax
	}
	d := &Document{}
	for k, v := range top {
		var ok bool
		switch k {
		case "Version":
			d.Version, ok = v.(string)
			ok = ok && slices.Contains(versions, d.Version)
		case "Id":
			d.ID, ok = v.(string)
		case "Statement":
			ok = true
		}
		if !ok {
			return nil, notes, errSyntax
		}
	}
	var raw []any
	switch s := top["Statement"].(type) {
	case map[string]any:
		raw = []any{s}
	case []any:
		raw = s
	}
	if len(raw) == 0 {
		return nil, notes, errSyntax
	}
	d.Statements = make([]Statement, len(raw))
	for i, r := range raw {
		m, ok := r.(map[string]any)
		if !ok {
			return nil, notes, errSyntax
		}
		legacy, err := parseStatement(m, &d.Statements[i])
		if err != nil {
			return nil, notes, err
		}
		notes.legacyEffect = notes.legacyEffect || legacy
	}
	return d, notes, nil
}

// decodeJSON decodes one JSON value, keeping numbers as written, and refuses
// anything after it.
func decodeJSON(doc string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

func parseStatement(m map[string]any, s *Statement) (legacyEffect bool, err error) {
	if both(m, "Action", "NotAction") || both(m, "Resource", "NotResource") || both(m, "Principal", "NotPrincipal") {
		return false, errSyntax
	}
	effect, ok := m["Effect"].(string)
	if !ok {
		return false, errSyntax
	}
	switch strings.ToLower(effect) {
	case "allow":
		s.Effect = Allow
	case "deny":
		s.Effect = Deny
	default:
		return false, errSyntax
	}
	for k, v := range m {
		ok := true
		switch k {
		case "Effect":
		case "Sid":
			s.Sid, ok = v.(string)
		case "Action":
			s.Action, ok = stringOrList(v)
		case "NotAction":
			s.NotAction, ok = stringOrList(v)
		case "Resource":
			s.Resource, ok = stringOrList(v)
		case "NotResource":
			s.NotResource, ok = stringOrList(v)
		case "Principal":
			s.Principal, ok = parsePrincipal(v)
		case "NotPrincipal":
			s.NotPrincipal, ok = parsePrincipal(v)
		case "Condition":
			s.Conditions, ok = parseConditions(v)
		default:
			ok = false
		}
		if !ok {
			return false, errSyntax
		}
	}
	return effect != string(s.Effect), nil
}

func both(m map[string]any, a, b string) bool {
	_, hasA := m[a]
	_, hasB := m[b]
	return hasA && hasB
}

// strings1 reads an element that is one string or a list of strings.
func stringOrList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func parsePrincipal(v any) (*Principal, bool) {
	switch v := v.(type) {
	case string:
		return &Principal{Any: true}, v == "*"
	case map[string]any:
		p := &Principal{IDs: make(map[string][]string, len(v))}
		for typ, ids := range v {
			list, ok := stringOrList(ids)
			if !ok {
				return nil, false
			}
			p.IDs[typ] = list
		}
		return p, true
	}
	return nil, false
}

// parseConditions reads {"operator": {"key": value or [values]}}. A block
// whose operator AWS does not know is refused unless it is empty.
func parseConditions(v any) ([]Condition, bool) {
	blocks, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	var out []Condition
	for op, b := range blocks {
		block, ok := b.(map[string]any)
		if !ok {
			return nil, false
		}
		set, base, ifExists := splitOperator(op)
		if !knownOperators[base] && len(block) > 0 {
			return nil, false
		}
		for key, raw := range block {
			values, ok := conditionValues(raw)
			if !ok {
				return nil, false
			}
			out = append(out, Condition{Operator: op, Set: set, Base: base, IfExists: ifExists,
				Key: strings.ToLower(key), Values: values})
		}
	}
	slices.SortFunc(out, func(a, b Condition) int {
		if c := strings.Compare(a.Operator, b.Operator); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, true
}

func conditionValues(v any) ([]string, bool) {
	list, isList := v.([]any)
	if !isList {
		s, ok := conditionValue(v)
		return []string{s}, ok
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, ok := conditionValue(e)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

func conditionValue(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return string(v), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

func splitOperator(op string) (set, base string, ifExists bool) {
	for _, q := range []string{"ForAnyValue", "ForAllValues"} {
		if rest, ok := strings.CutPrefix(op, q+":"); ok {
			set, op = q, rest
			break
		}
	}
	base, ifExists = strings.CutSuffix(op, "IfExists")
	return set, base, ifExists
}

// knownOperators are the condition operators of the IAM policy grammar:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
var knownOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true,
	"StringNotEqualsIgnoreCase": true, "StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true,
	"NumericLessThanEquals": true, "NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true,
	"DateLessThanEquals": true, "DateGreaterThan": true, "DateGreaterThanEquals": true,
	"Bool": true, "BinaryEquals": true, "IpAddress": true, "NotIpAddress": true,
	"ArnEquals": true, "ArnLike": true, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": true,
}

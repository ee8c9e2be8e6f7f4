package policy

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// A condition is one key of one operator block, compiled: the operator
// decoded once and the policy's values parsed into the type the operator
// compares.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
type condition struct {
	key      string
	kind     opKind
	cmp      comparison // Numeric and Date operators
	negated  bool       // a Not operator: its values combine by NOR
	set      setQualifier
	ifExists bool

	strs     []string    // String (Equals, IgnoreCase), Bool, Null
	patterns []pattern   // StringLike, Arn
	tmpls    []template  // per value, nil when the value has no variable
	nums     []float64   // Numeric
	times    []time.Time // Date
	bins     [][]byte    // Binary
	prefixes []netip.Prefix
}

type opKind uint8

const (
	opString opKind = iota
	opStringIgnoreCase
	opStringLike
	opNumeric
	opDate
	opBool
	opBinary
	opIP
	opARN
	opNull
)

type comparison uint8

const (
	cmpEq comparison = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type setQualifier uint8

const (
	setNone setQualifier = iota
	setAnyValue
	setAllValues
)

type operator struct {
	kind    opKind
	cmp     comparison
	negated bool
}

var operators = map[string]operator{
	"StringEquals":              {opString, cmpEq, false},
	"StringNotEquals":           {opString, cmpEq, true},
	"StringEqualsIgnoreCase":    {opStringIgnoreCase, cmpEq, false},
	"StringNotEqualsIgnoreCase": {opStringIgnoreCase, cmpEq, true},
	"StringLike":                {opStringLike, cmpEq, false},
	"StringNotLike":             {opStringLike, cmpEq, true},
	"NumericEquals":             {opNumeric, cmpEq, false},
	"NumericNotEquals":          {opNumeric, cmpEq, true},
	"NumericLessThan":           {opNumeric, cmpLt, false},
	"NumericLessThanEquals":     {opNumeric, cmpLe, false},
	"NumericGreaterThan":        {opNumeric, cmpGt, false},
	"NumericGreaterThanEquals":  {opNumeric, cmpGe, false},
	"DateEquals":                {opDate, cmpEq, false},
	"DateNotEquals":             {opDate, cmpEq, true},
	"DateLessThan":              {opDate, cmpLt, false},
	"DateLessThanEquals":        {opDate, cmpLe, false},
	"DateGreaterThan":           {opDate, cmpGt, false},
	"DateGreaterThanEquals":     {opDate, cmpGe, false},
	"Bool":                      {opBool, cmpEq, false},
	"BinaryEquals":              {opBinary, cmpEq, false},
	"IpAddress":                 {opIP, cmpEq, false},
	"NotIpAddress":              {opIP, cmpEq, true},
	"ArnEquals":                 {opARN, cmpEq, false},
	"ArnLike":                   {opARN, cmpEq, false},
	"ArnNotEquals":              {opARN, cmpEq, true},
	"ArnNotLike":                {opARN, cmpEq, true},
	"Null":                      {opNull, cmpEq, false},
}

// compileCondition compiles c. A value that does not parse as the
// operator's type matches nothing. Variables resolve only in the operators
// AWS documents them for (String, Arn, Bool) and only when variables is set.
func compileCondition(c Condition, variables bool) condition {
	op := operators[c.Base]
	out := condition{key: c.Key, kind: op.kind, cmp: op.cmp, negated: op.negated, ifExists: c.IfExists}
	switch c.Set {
	case "ForAnyValue":
		out.set = setAnyValue
	case "ForAllValues":
		out.set = setAllValues
	}
	for _, v := range c.Values {
		out.addValue(v, variables)
	}
	return out
}

func (c *condition) addValue(v string, variables bool) {
	switch c.kind {
	case opString, opStringIgnoreCase, opBool, opNull:
		c.strs = append(c.strs, v)
		c.tmpls = append(c.tmpls, c.templateOf(v, variables))
	case opStringLike, opARN:
		c.patterns = append(c.patterns, newPattern(escapeBackslashes(v)))
		c.tmpls = append(c.tmpls, c.templateOf(v, variables))
	case opNumeric:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			c.nums = append(c.nums, n)
		}
	case opDate:
		if t, ok := parseDate(v); ok {
			c.times = append(c.times, t)
		}
	case opBinary:
		if b, err := base64.StdEncoding.DecodeString(v); err == nil {
			c.bins = append(c.bins, b)
		}
	case opIP:
		if p, ok := parsePrefix(v); ok {
			c.prefixes = append(c.prefixes, p)
		}
	}
}

func (c *condition) templateOf(v string, variables bool) template {
	if !variables || c.kind == opNull {
		return nil
	}
	return parseTemplate(v)
}

// eval decides the condition for ctx, as AWS documents for single and
// multivalued keys
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
// values of one key combine by OR (NOR for a negated operator); ForAllValues
// needs every context value to match, ForAnyValue one. An absent key makes
// …IfExists and ForAllValues true, ForAnyValue false, a negated operator
// true ("If the policy condition requires that the key is not matched, such
// as StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true") and any other false. Null tests presence alone.
// "Multivalued context keys require a condition set operator": without
// one, a multivalued key matches nothing, negated or not (as
// @cloud-copilot/iam-simulate decides, which its authors confirmed with
// AWS).
func (c *condition) eval(ctx map[string][]string) bool {
	values := ctx[c.key]
	if c.kind == opNull {
		return c.evalNull(len(values) > 0)
	}
	if len(values) == 0 {
		switch {
		case c.ifExists || c.set == setAllValues:
			return true
		case c.set == setAnyValue:
			return false
		}
		return c.negated
	}
	if c.set == setNone && (len(values) > 1 || multivaluedKeys[c.key]) {
		return false
	}
	resolved, ok := c.resolve(ctx)
	if !ok {
		return false
	}
	// p(v): the context value v satisfies the operator.
	all := c.set == setAllValues
	for _, v := range values {
		p := c.matchAny(v, resolved) != c.negated
		if all && !p {
			return false
		}
		if !all && p {
			return true
		}
	}
	return all
}

// multivaluedKeys are the global keys AWS documents as multivalued (value
// type ArrayOfString), lower-cased; a key with several values in a request
// is multivalued too.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
var multivaluedKeys = map[string]bool{
	"aws:tagkeys": true, "aws:calledvia": true, "aws:principalorgpaths": true,
	"aws:principalservicenameslist": true, "aws:resourceorgpaths": true,
	"aws:sourceorgpaths": true, "sts:transitivetagkeys": true,
}

// evalNull: "true" asks that the key be absent, "false" that it be present.
func (c *condition) evalNull(present bool) bool {
	for _, v := range c.strs {
		if b, err := strconv.ParseBool(strings.ToLower(v)); err == nil && b != present {
			return true
		}
	}
	return false
}

// resolve renders the values holding variables; resolved is nil when none
// do. A value that does not resolve makes the whole condition false: AWS
// says an unresolvable variable "can invalidate the entire statement".
func (c *condition) resolve(ctx map[string][]string) (resolved []string, ok bool) {
	for i, t := range c.tmpls {
		if t == nil {
			continue
		}
		if resolved == nil {
			resolved = make([]string, len(c.tmpls))
		}
		wild := c.kind == opStringLike || c.kind == opARN
		if resolved[i], ok = t.resolve(ctx, wild); !ok {
			return nil, false
		}
	}
	return resolved, true
}

// matchAny reports whether the context value v equals (matches, lies in,
// compares with) any policy value.
func (c *condition) matchAny(v string, resolved []string) bool {
	switch c.kind {
	case opString, opStringIgnoreCase, opBool:
		for i, s := range c.strs {
			if resolved != nil && c.tmpls[i] != nil {
				s = resolved[i]
			}
			if c.kind == opString && v == s || c.kind != opString && strings.EqualFold(v, s) {
				return true
			}
		}
	case opStringLike, opARN:
		for i, p := range c.patterns {
			if resolved != nil && c.tmpls[i] != nil {
				p = newPattern(resolved[i])
			}
			if c.kind == opStringLike && p.match(v) || c.kind == opARN && p.matchARN(v) {
				return true
			}
		}
	case opNumeric:
		n, err := strconv.ParseFloat(v, 64)
		return err == nil && anyCompares(c.nums, n, c.cmp, compareFloat)
	case opDate:
		t, ok := parseDate(v)
		return ok && anyCompares(c.times, t, c.cmp, time.Time.Compare)
	case opBinary:
		b, err := base64.StdEncoding.DecodeString(v)
		for _, want := range c.bins {
			if err == nil && bytes.Equal(b, want) {
				return true
			}
		}
	case opIP:
		addr, err := netip.ParseAddr(v)
		for _, p := range c.prefixes {
			if err == nil && p.Contains(addr.Unmap()) {
				return true
			}
		}
	}
	return false
}

// anyCompares reports whether got compares with one of policy as cmp asks:
// NumericLessThan means the context value is less than the policy's.
func anyCompares[T any](policy []T, got T, cmp comparison, compare func(T, T) int) bool {
	for _, want := range policy {
		c := compare(got, want)
		switch {
		case cmp == cmpEq && c == 0, cmp == cmpLt && c < 0, cmp == cmpLe && c <= 0,
			cmp == cmpGt && c > 0, cmp == cmpGe && c >= 0:
			return true
		}
	}
	return false
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parsePrefix reads a CIDR block, or a bare address as the block of it.
func parsePrefix(v string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(v); err == nil {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked(), true
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// dateLayouts are the ISO 8601 forms a Date value takes, most used first.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseDate reads a Date condition value or context value: ISO 8601 or
// seconds since the epoch (aws:EpochTime).
func parseDate(v string) (time.Time, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

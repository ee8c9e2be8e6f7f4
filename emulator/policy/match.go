package policy

import (
	"strings"
	"unicode/utf8"
)

// A pattern is an Action, Resource or wildcard condition value in escaped
// form: * matches any run of characters, ? one character, and a backslash
// makes the next character literal (a ${*} variable, or a backslash the
// policy wrote). The kind is found once, at compile time, so that most
// matches are one comparison.
type pattern struct {
	s    string
	kind patternKind
}

type patternKind uint8

const (
	matchAll    patternKind = iota // "*"
	matchExact                     // no wildcard: s is the literal text
	matchPrefix                    // one trailing *: s is the literal text before it
	matchGlob                      // anything else: s is in escaped form
)

// newPattern compiles escaped, a pattern in escaped form.
func newPattern(escaped string) pattern {
	switch body, trailingStar := strings.CutSuffix(escaped, "*"); {
	case escaped == "*":
		return pattern{kind: matchAll}
	case strings.ContainsAny(body, `*?\`):
		return pattern{s: escaped, kind: matchGlob}
	case trailingStar:
		return pattern{s: body, kind: matchPrefix}
	default:
		return pattern{s: body, kind: matchExact}
	}
}

// escapeWildcards renders literal text in escaped form.
func escapeWildcards(s string) string {
	if !strings.ContainsAny(s, `*?\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '?' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escapeBackslashes renders policy text in escaped form, keeping its
// wildcards.
func escapeBackslashes(s string) string {
	return strings.ReplaceAll(s, `\`, `\\`)
}

// match matches s against the pattern as a plain string (actions, String
// operators).
func (p pattern) match(s string) bool {
	switch p.kind {
	case matchAll:
		return true
	case matchExact:
		return s == p.s
	case matchPrefix:
		return strings.HasPrefix(s, p.s)
	}
	return globMatch(p.s, s)
}

// matchARN matches s against the pattern as an ARN (Resource, Arn
// operators). A trailing * lets a comparison stay one prefix test: AWS lets
// a * that ends a segment match beyond the segment's colons.
func (p pattern) matchARN(s string) bool {
	if p.kind == matchGlob {
		return arnMatch(p.s, s)
	}
	return p.match(s)
}

// arnMatch compares an ARN with a pattern segment by segment (the six parts
// of arn:partition:service:region:account:resource); wildcards do not cross
// a colon, except a * that ends the pattern's last segment, which AWS lets
// "expand to match beyond colon boundaries"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
func arnMatch(pat, s string) bool {
	for range 5 {
		pseg, prest, more := cutUnescapedColon(pat)
		if !more {
			if strings.HasSuffix(pseg, "*") && !strings.HasSuffix(pseg, `\*`) {
				return globMatch(pseg, s)
			}
			return !strings.Contains(s, ":") && globMatch(pseg, s)
		}
		sseg, srest, ok := strings.Cut(s, ":")
		if !ok || !globMatch(pseg, sseg) {
			return false
		}
		pat, s = prest, srest
	}
	return globMatch(pat, s)
}

func cutUnescapedColon(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ':':
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// globMatch matches s against an escaped pattern with one point of
// backtracking, the last *: linear in practice, no allocation.
func globMatch(pat, s string) bool {
	p, i := 0, 0
	star, starI := -1, 0
	for i < len(s) {
		if p < len(pat) {
			switch c := pat[p]; c {
			case '*':
				star, starI = p, i
				p++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[i:])
				p, i = p+1, i+n
				continue
			case '\\':
				if p+1 < len(pat) && pat[p+1] == s[i] {
					p, i = p+2, i+1
					continue
				}
			default:
				if c == s[i] {
					p, i = p+1, i+1
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		starI++
		p, i = star+1, starI
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

package policy

import "strings"

// A template is a Resource or condition value holding policy variables:
// literal text and ${key} or ${key, 'default'} references, resolved against
// the request context at evaluation.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
type template []templatePart

type templatePart struct {
	text       string // literal text, when key is ""
	key        string // lower-cased context key
	def        string
	hasDefault bool
}

// variablesVersion is the only Version whose documents resolve variables;
// the others take ${…} as literal text.
const variablesVersion = "2012-10-17"

// parseTemplate reads the variables of s; it answers nil when s has none.
// ${*}, ${?} and ${$} are the literal characters, so that a policy can
// name them where they would otherwise be special.
func parseTemplate(s string) template {
	if !strings.Contains(s, "${") {
		return nil
	}
	var t template
	for {
		before, rest, ok := strings.Cut(s, "${")
		inner, after, closed := strings.Cut(rest, "}")
		if !ok || !closed {
			return t.literal(s)
		}
		t = t.literal(before)
		switch name := strings.TrimSpace(inner); name {
		case "*", "?", "$":
			t = append(t, templatePart{def: name, hasDefault: true})
		default:
			key, def, hasDefault := strings.Cut(name, ",")
			def = strings.TrimSpace(def)
			if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
				def = def[1 : len(def)-1]
			}
			t = append(t, templatePart{key: strings.ToLower(strings.TrimSpace(key)), def: def, hasDefault: hasDefault})
		}
		s = after
	}
}

func (t template) literal(s string) template {
	if s == "" {
		return t
	}
	return append(t, templatePart{text: s})
}

// resolve renders the template for the request context. When escaped, the
// result is a pattern in escaped form: the policy's own text keeps its
// wildcards, resolved values and ${*} ${?} are literal. A reference to a
// key absent from the context (or holding several values) without a
// default does not resolve: AWS then treats the value as matching nothing.
func (t template) resolve(ctx map[string][]string, escaped bool) (string, bool) {
	var b strings.Builder
	for _, p := range t {
		switch {
		case p.key == "" && p.text != "":
			if escaped {
				b.WriteString(escapeBackslashes(p.text))
			} else {
				b.WriteString(p.text)
			}
			continue
		case p.key != "":
			if v := ctx[p.key]; len(v) == 1 {
				b.WriteString(maybeEscape(v[0], escaped))
				continue
			}
		}
		if !p.hasDefault {
			return "", false
		}
		b.WriteString(maybeEscape(p.def, escaped))
	}
	return b.String(), true
}

func maybeEscape(s string, escaped bool) string {
	if escaped {
		return escapeWildcards(s)
	}
	return s
}

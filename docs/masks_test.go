package docs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A mask is a part of aws-cli's output that changes from run to run. The
// guide shows a value from one real run; the test accepts any value of the
// same shape in its place. Group 1, when the pattern has one, is the part
// that varies; the rest must match as written.
type mask struct {
	name string
	re   *regexp.Regexp
	// bind: a reader copies this value into a later command (a key id
	// into `aws configure set`, a code into enable-mfa-device), so the
	// test puts this run's value where the guide's appears in later
	// commands, and the guide's value must stand for one value throughout.
	bind bool
}

// masks are all the rules, in the order they apply. Nothing else in the
// output may differ from the guide (white space aside: see normalize).
var masks = []mask{
	{"SessionToken", regexp.MustCompile(`"SessionToken": "([^"]+)"`), true},
	{"SecretAccessKey", regexp.MustCompile(`"SecretAccessKey": "([A-Za-z0-9/+]{40})"`), true},
	{"certificate", regexp.MustCompile(`-----BEGIN CERTIFICATE-----[^"]*?-----END CERTIFICATE-----(?:\\n)?`), false},
	{"access key id", regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`), true},
	{"unique id", regexp.MustCompile(`\b(?:AIDA|AROA|AGPA|ANPA)[A-Z0-9]{17}\b`), true},
	{"signing certificate id", regexp.MustCompile(`\b[A-Z2-7]{28}\b`), true},
	{"date", regexp.MustCompile(`\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)`), false},
	{"TOTP code", regexp.MustCompile(`\b(?:current|next) (\d{6})\b`), true},
	{"seconds", regexp.MustCompile(`\b(?:for|in) (\d+) (?:more seconds|s)\b`), false},
	{"aws-cli session name", regexp.MustCompile(`botocore-session-(\d+)`), false},
}

// normalize makes white space irrelevant: runs of blanks and tabs are one
// space, lines carry none at either end, and blank lines around the
// output go (aws-cli v1 starts an error with one).
func normalize(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// masked replaces every varying part of s by ‹name› and returns, per mask,
// the values it replaced, in order.
func masked(s string) (string, [][]string) {
	values := make([][]string, len(masks))
	for i, m := range masks {
		var b strings.Builder
		last := 0
		for _, loc := range m.re.FindAllStringSubmatchIndex(s, -1) {
			start, end := loc[0], loc[1]
			if len(loc) > 2 && loc[2] >= 0 {
				start, end = loc[2], loc[3]
			}
			b.WriteString(s[last:start])
			b.WriteString("‹" + m.name + "›")
			values[i] = append(values[i], s[start:end])
			last = end
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	return s, values
}

// compare checks got (what a command printed) against want (what the
// guide shows). It returns the guide's values of bound masks paired with
// this run's, or an error that shows the first line that differs.
func compare(want, got string) ([][2]string, error) {
	w, wantValues := masked(normalize(want))
	g, gotValues := masked(normalize(got))
	if w != g {
		return nil, fmt.Errorf("the output differs from the guide at\n%s\nwhole output:\n%s", firstDifference(w, g), got)
	}
	var pairs [][2]string
	for i, m := range masks {
		if !m.bind {
			continue
		}
		for j, v := range wantValues[i] {
			pairs = append(pairs, [2]string{v, gotValues[i][j]})
		}
	}
	return pairs, nil
}

func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("  output line %d\n  guide: %q\n  got:   %q", i+1, wl, gl)
		}
	}
	return ""
}

// substitute puts this run's values where the guide's appear in a text,
// as whole words only (a code must not change inside an account id), in
// one pass (a value put in is never looked into again: a secret may hold
// a guide's code between a + and a /).
func substitute(text string, bound map[string]string) string {
	from := make([]string, 0, len(bound))
	for k := range bound {
		from = append(from, k)
	}
	slices.SortFunc(from, func(a, b string) int { return len(b) - len(a) })
	var b strings.Builder
	for i := 0; i < len(text); {
		match := ""
		if i == 0 || !isWordByte(text[i-1]) {
			for _, f := range from {
				if strings.HasPrefix(text[i:], f) && (i+len(f) == len(text) || !isWordByte(text[i+len(f)])) {
					match = f
					break
				}
			}
		}
		if match == "" {
			b.WriteByte(text[i])
			i++
			continue
		}
		b.WriteString(bound[match])
		i += len(match)
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

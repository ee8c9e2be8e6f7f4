package policy

import "testing"

func TestTemplateResolve(t *testing.T) {
	context := ctx{"aws:username": {"alice"}, "aws:principaltag/team": {"blue"}, "aws:tagkeys": {"a", "b"}, "aws:userid": {"AIDA*"}}
	cases := []struct {
		value   string
		escaped bool
		want    string
		ok      bool
	}{
		{"home/${aws:username}/*", false, "home/alice/*", true},
		{"home/${AWS:UserName}/*", false, "home/alice/*", true},
		{"${aws:username}-${aws:PrincipalTag/team}", false, "alice-blue", true},
		{"${aws:PrincipalTag/missing}", false, "", false},
		{"${aws:PrincipalTag/missing, 'none'}", false, "none", true},
		{"${aws:PrincipalTag/missing,'none'}", false, "none", true},
		{"${aws:PrincipalTag/team, 'none'}", false, "blue", true},
		{"${aws:TagKeys}", false, "", false}, // multivalued: no single value
		{"${aws:TagKeys, 'x'}", false, "x", true},
		{"a${*}b${?}c${$}", false, "a*b?c$", true},
		{"a${*}b${?}", true, `a\*b\?`, true},
		{"${aws:userid}*", true, `AIDA\**`, true},
		{`x\y*${aws:username}`, true, `x\\y*alice`, true},
		{"unterminated ${aws:username", false, "unterminated ${aws:username", true},
		{"${}", false, "", false},
	}
	for _, c := range cases {
		tmpl := parseTemplate(c.value)
		if tmpl == nil {
			t.Fatalf("parseTemplate(%q) = nil", c.value)
		}
		got, ok := tmpl.resolve(context, c.escaped)
		if got != c.want || ok != c.ok {
			t.Errorf("resolve(%q, escaped=%v) = %q, %v; want %q, %v", c.value, c.escaped, got, ok, c.want, c.ok)
		}
	}
	if tmpl := parseTemplate("arn:aws:iam::123456789012:user/alice"); tmpl != nil {
		t.Fatalf("parseTemplate without a variable = %v, want nil", tmpl)
	}
}

package policy

import "testing"

func TestSize(t *testing.T) {
	cases := []struct {
		name, doc string
		want      int
	}{
		{"compact", `{"Version":"2012-10-17"}`, 24},
		{"white space between tokens", "{\n\t\"Version\" : \"2012-10-17\"\r\n}", 24},
		{"white space inside strings", `{"Sid":"a b"}`, 12},
		{"characters, not bytes", `{"Sid":"é"}`, 11},
		{"empty", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Size(c.doc); got != c.want {
				t.Fatalf("Size(%q) = %d, want %d", c.doc, got, c.want)
			}
		})
	}
}

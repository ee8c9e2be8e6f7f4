package console

import "testing"

// TestPagesParse: every page's template parses with the layout; they are
// parsed on first use, so a broken one must fail here rather than on a
// user's first visit.
func TestPagesParse(t *testing.T) {
	pages := parsePages()
	for _, name := range []string{"signin", "credentials", "users", "switchrole"} {
		if pages[name] == nil {
			t.Errorf("no page %q among %d", name, len(pages))
		}
	}
}

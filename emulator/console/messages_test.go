package console

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestMessagesComplete checks that both languages have the same keys and
// that every key the templates and the code name is in them.
func TestMessagesComplete(t *testing.T) {
	for key := range messages["en"] {
		if _, ok := messages["ja"][key]; !ok {
			t.Errorf("ja lacks %q", key)
		}
	}
	for key := range messages["ja"] {
		if _, ok := messages["en"][key]; !ok {
			t.Errorf("en lacks %q", key)
		}
	}
	used := regexp.MustCompile(`(?:\.T\.Get|p\.T\.Get|p\.flash|c\.done\(p, "[a-z]+", err,) ?\(?"([a-zA-Z.]*[a-zA-Z])"`)
	files, _ := filepath.Glob("templates/*.html")
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range slices.Concat(files, goFiles) {
		if f == "doc.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			if _, ok := messages["en"][m[1]]; !ok {
				t.Errorf("%s uses %q, which has no text", f, m[1])
			}
		}
	}
	for _, rule := range []string{"MinimumLength", "RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols", "ReusePrevention", "ThreeOfFourKinds"} {
		if _, ok := messages["en"]["rule."+rule]; !ok {
			t.Errorf("no text for the password rule %s", rule)
		}
	}
}

func TestPreferredLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                           "en",
		"ja":                         "ja",
		"ja-JP,ja;q=0.9,en;q=0.8":    "ja",
		"en-US,en;q=0.9,ja;q=0.8":    "en",
		"fr-FR,ja;q=0.5,en;q=0.4":    "ja",
		"fr":                         "en",
		"en;q=0.1, ja;q=0.2":         "ja",
		"ja;q=0":                     "en",
		"ja;q=bogus, en;q=0.5":       "en",
		"zh-CN, ja;q=0.7, en-GB;q=1": "en",
	} {
		if got := preferredLanguage(header); got != want {
			t.Errorf("preferredLanguage(%q)=%q, want %q", header, got, want)
		}
	}
}

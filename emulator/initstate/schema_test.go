package initstate_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iamlocal/iamlocal/emulator/initstate"
)

// schema is the part of JSON Schema docs/init.schema.json uses.
type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 any                `json:"type"` // a name or a list of names
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties any                `json:"additionalProperties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	Pattern              string             `json:"pattern"`
	Enum                 []string           `json:"enum"`
	Defs                 map[string]*schema `json:"$defs"`
}

func loadSchema(t testing.TB) *schema {
	t.Helper()
	b, err := os.ReadFile("../../docs/init.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// TestSchemaMatchesTypes: every member of every type of the format is a
// property of its definition in the schema, and the other way round.
func TestSchemaMatchesTypes(t *testing.T) {
	root := loadSchema(t)
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, *schema)
	walk = func(typ reflect.Type, s *schema) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		members := map[string]reflect.Type{}
		fields(typ, members)
		var inGo, inSchema []string
		for name := range members {
			inGo = append(inGo, name)
		}
		for name := range s.Properties {
			inSchema = append(inSchema, name)
		}
		slices.Sort(inGo)
		slices.Sort(inSchema)
		if !slices.Equal(inGo, inSchema) {
			t.Errorf("%s: Go members %v, schema properties %v", typ.Name(), inGo, inSchema)
		}
		if s.AdditionalProperties != false {
			t.Errorf("%s: the schema allows other properties; Decode refuses them", typ.Name())
		}
		for name, ft := range members {
			for !custom(ft) && (ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map) {
				ft = ft.Elem()
			}
			if !custom(ft) && ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
				def := root.Defs[ft.Name()]
				if def == nil {
					t.Errorf("%s.%s: no $defs/%s in the schema", typ.Name(), name, ft.Name())
					continue
				}
				walk(ft, def)
			}
		}
	}
	walk(reflect.TypeFor[initstate.State](), root)
	for name := range root.Defs {
		switch name {
		case "Document", "Tags", "InlinePolicies":
			continue
		}
		found := false
		for typ := range seen {
			found = found || typ.Name() == name
		}
		if !found {
			t.Errorf("$defs/%s is no type of the format", name)
		}
	}
}

// custom tells whether typ has a JSON form of its own (Tags, Document),
// which the schema's Tags and Document definitions describe.
func custom(typ reflect.Type) bool {
	return reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Unmarshaler]())
}

// fields collects the JSON members of a struct, embedded structs
// flattened.
func fields(typ reflect.Type, into map[string]reflect.Type) {
	for f := range typ.Fields() {
		if f.Anonymous {
			fields(f.Type, into)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		into[name] = f.Type
	}
}

// TestExampleValidates: docs/init.example.json validates against the
// schema and decodes.
func TestExampleValidates(t *testing.T) {
	root := loadSchema(t)
	b, err := os.ReadFile("../../docs/init.example.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if err := validate(root, root, doc, "$"); err != nil {
		t.Fatal(err)
	}
	bad := map[string]any{"accounts": []any{map[string]any{"id": "1234", "users": []any{map[string]any{"name": "a", "nmae": "b"}}}}}
	if err := validate(root, root, bad, "$"); err == nil {
		t.Fatal("a bad file validates")
	}
	f, err := os.Open("../../docs/init.example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := initstate.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Accounts[0].Users[0].AccessKeys[0].ID, "FOOBARKEY"; got != want {
		t.Fatalf("key id=%q, want %q", got, want)
	}
}

// validate checks v against s: the keywords the schema uses.
func validate(root, s *schema, v any, at string) error {
	if s.Ref != "" {
		return validate(root, root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")], v, at)
	}
	if !typeMatches(s.Type, v) {
		return fmt.Errorf("%s: %v is not of type %v", at, v, s.Type)
	}
	switch v := v.(type) {
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := v[name]; !ok {
				return fmt.Errorf("%s: %s is required", at, name)
			}
		}
		for name, member := range v {
			if p := s.Properties[name]; p != nil {
				if err := validate(root, p, member, at+"."+name); err != nil {
					return err
				}
				continue
			}
			switch extra := s.AdditionalProperties.(type) {
			case bool:
				if !extra {
					return fmt.Errorf("%s: %s is not a property", at, name)
				}
			case map[string]any:
				b, _ := json.Marshal(extra)
				var sub schema
				json.Unmarshal(b, &sub)
				if err := validate(root, &sub, member, at+"."+name); err != nil {
					return err
				}
			}
		}
	case []any:
		for i, item := range v {
			if s.Items != nil {
				if err := validate(root, s.Items, item, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	case string:
		if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(v) {
			return fmt.Errorf("%s: %q does not match %s", at, v, s.Pattern)
		}
		if s.Enum != nil && !slices.Contains(s.Enum, v) {
			return fmt.Errorf("%s: %q is not one of %v", at, v, s.Enum)
		}
	}
	return nil
}

func typeMatches(want any, v any) bool {
	var names []string
	switch w := want.(type) {
	case nil:
		return true
	case string:
		names = []string{w}
	case []any:
		for _, n := range w {
			names = append(names, n.(string))
		}
	}
	for _, n := range names {
		switch v.(type) {
		case map[string]any:
			if n == "object" {
				return true
			}
		case []any:
			if n == "array" {
				return true
			}
		case string:
			if n == "string" {
				return true
			}
		case bool:
			if n == "boolean" {
				return true
			}
		case float64:
			if n == "integer" || n == "number" {
				return true
			}
		}
	}
	return false
}

// TestDecodeRefusals: a file that is no init file is refused with where.
func TestDecodeRefusals(t *testing.T) {
	for name, c := range map[string]struct{ file, want string }{
		"unknown member": {"{\"accounts\": [\n  {\"id\": \"123456789012\", \"nmae\": \"x\"}]}", `line 2, column 39: json: unknown field "nmae"`},
		"wrong type":     {`{"accounts": [{"id": 123}]}`, "line 1, column 24: accounts.id: a number cannot be string"},
		"syntax":         {`{"accounts": [}`, "line 1, column 15: invalid character '}' looking for beginning of value"},
		"trailing":       {`{"accounts": []} {}`, "line 1, column 17: unexpected data after the init object"},
		"bad document":   {`{"accounts": [{"id": "123456789012", "policies": [{"name": "p", "document": 5}]}]}`, "a policy document must be a JSON object or a string"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := initstate.Decode(strings.NewReader(c.file))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err=%v, want %q", err, c.want)
			}
		})
	}
}

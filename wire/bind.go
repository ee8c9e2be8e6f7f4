package wire

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// binding is an operation's model joined to the SDK's input and output
// types: a tree of nodes the decoder and encoder walk by reflection.
type binding struct {
	op      *Operation
	in, out *node // nil when the operation has no input or output shape
	echo    bool  // STS echoes offending values in validation messages
}

// node is a shape bound to a Go type. typ is the type without the pointer
// the SDK may wrap it in (ptr).
type node struct {
	shape  *Shape
	typ    reflect.Type
	ptr    bool
	re     func() *regexp.Regexp
	enum   map[string]bool
	fields []field
	visit  []int // field indexes in the order AWS reports their violations
	elem   *node // list member or map value
	key    *node // map key
}

type field struct {
	name     string // as on the wire: "UserName"
	path     string // as in validation messages: "userName"
	index    int
	required bool
	node     *node
}

var timeType = reflect.TypeFor[time.Time]()

// bind joins op's input and output shapes to the types in and out.
func bind(op *Operation, in, out reflect.Type) (*binding, error) {
	b := &binding{op: op, echo: op.Service.Name == "sts"}
	var err error
	if op.Input >= 0 {
		if b.in, err = compile(op.Service, op.Input, in); err != nil {
			return nil, fmt.Errorf("input: %w", err)
		}
	}
	if op.Output >= 0 {
		if b.out, err = compile(op.Service, op.Output, out); err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
	}
	return b, nil
}

func compile(svc *Service, shape int, t reflect.Type) (*node, error) {
	s := &svc.Shapes[shape]
	n := &node{shape: s, typ: t}
	if t.Kind() == reflect.Pointer {
		n.typ, n.ptr = t.Elem(), true
	}
	if !kindFits(s.Kind, n.typ) {
		return nil, fmt.Errorf("shape %s (kind %d) does not fit Go type %s", s.Name, s.Kind, t)
	}
	if s.re != "" {
		n.re = pattern(s.re)
	}
	if len(s.Enum) > 0 {
		n.enum = make(map[string]bool, len(s.Enum))
		for _, v := range s.Enum {
			n.enum[v] = true
		}
	}
	var err error
	switch s.Kind {
	case KindList:
		n.elem, err = compile(svc, s.Member, n.typ.Elem())
	case KindMap:
		if n.key, err = compile(svc, s.Key, n.typ.Key()); err == nil {
			n.elem, err = compile(svc, s.Value, n.typ.Elem())
		}
	case KindStructure:
		err = n.compileFields(svc)
	}
	return n, err
}

func (n *node) compileFields(svc *Service) error {
	for _, m := range n.shape.Members {
		sf, ok := n.typ.FieldByName(m.Name)
		if !ok {
			sf, ok = n.typ.FieldByNameFunc(func(f string) bool { return strings.EqualFold(f, m.Name) })
		}
		if !ok {
			return fmt.Errorf("%s has no field for member %s", n.typ, m.Name)
		}
		child, err := compile(svc, m.Shape, sf.Type)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", n.typ, m.Name, err)
		}
		n.fields = append(n.fields, field{name: m.Name, path: lowerFirst(m.Name), index: sf.Index[0], required: m.Required, node: child})
	}
	n.visit = hashMapOrder(n.fields)
	return nil
}

// hashMapOrder orders fields as a Java HashMap keyed by their message names
// iterates them: AWS lists several violations in that order, e.g.
// minimumPasswordLength; passwordReusePrevention; maxPasswordAge
// (aws-facts §4), where the model has maxPasswordAge before
// passwordReusePrevention. Fields in one bucket keep model order.
func hashMapOrder(fields []field) []int {
	capacity := 16
	for len(fields) > capacity*3/4 {
		capacity *= 2
	}
	bucket := func(name string) int {
		var h int32
		for _, c := range utf16.Encode([]rune(name)) {
			h = 31*h + int32(c)
		}
		u := uint32(h)
		return int((u ^ u>>16) & uint32(capacity-1))
	}
	order := make([]int, len(fields))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bucket(fields[a].path) - bucket(fields[b].path) })
	return order
}

func kindFits(k Kind, t reflect.Type) bool {
	switch k {
	case KindString:
		return t.Kind() == reflect.String
	case KindInteger, KindLong:
		return t.Kind() == reflect.Int32 || t.Kind() == reflect.Int64 || t.Kind() == reflect.Int
	case KindBoolean:
		return t.Kind() == reflect.Bool
	case KindTimestamp:
		return t == timeType
	case KindBlob:
		return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
	case KindList:
		return t.Kind() == reflect.Slice
	case KindMap:
		return t.Kind() == reflect.Map
	case KindStructure:
		return t.Kind() == reflect.Struct
	}
	return false
}

// lowerFirst names a member as AWS's validation messages do: userName,
// sAMLMetadataDocument.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

var (
	patternMu sync.Mutex
	patterns  = map[string]func() *regexp.Regexp{}
)

// pattern compiles a model pattern when a value first needs it, once:
// compiling them all at startup would cost more than the rest of it.
func pattern(re string) func() *regexp.Regexp {
	patternMu.Lock()
	defer patternMu.Unlock()
	p, ok := patterns[re]
	if !ok {
		p = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(re) })
		patterns[re] = p
	}
	return p
}

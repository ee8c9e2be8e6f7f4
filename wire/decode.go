package wire

import (
	"encoding/base64"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// decode fills in (a pointer to the SDK input struct) from the form and
// validates it against the model. Every violation is collected, in model
// order, into one ValidationError as AWS reports them.
func (b *binding) decode(form url.Values, in any) *Error {
	if b.in == nil {
		return nil
	}
	d := decoder{form: form, echo: b.echo}
	d.structure(b.in, "", "", reflect.ValueOf(in).Elem())
	if d.err != nil {
		return d.err
	}
	switch {
	case len(d.violations) > 0:
		return validationErrors(d.violations)
	case d.custom != "":
		return Errorf("ValidationError", "%s", d.custom)
	}
	return nil
}

type decoder struct {
	form       url.Values
	prefixes   map[string]struct{} // see indexPrefixes; nil until indexed
	indexed    bool
	echo       bool
	violations []string
	custom     string // a shape's own pattern message, reported only when nothing else is wrong
	err        *Error
}

// structure decodes n's members from keys prefix+Name; path is the
// message name of the enclosing value with a trailing dot.
func (d *decoder) structure(n *node, prefix, path string, v reflect.Value) {
	for _, i := range n.visit {
		f := &n.fields[i]
		d.value(f.node, prefix+f.name, path+f.path, f.required, v.Field(f.index))
	}
}

// value decodes the member at key into dst, which has n's Go type.
func (d *decoder) value(n *node, key, path string, required bool, dst reflect.Value) {
	if !d.present(n, key) {
		if required {
			d.violations = append(d.violations, nullViolation(path))
		}
		return
	}
	v := reflect.New(n.typ).Elem()
	switch n.shape.Kind {
	case KindStructure:
		d.structure(n, key+".", path+".", v)
	case KindList:
		d.list(n, key, path, v)
	case KindMap:
		d.mapping(n, key, path, v)
	default:
		if !d.scalar(n, d.form[key][0], path, v) {
			return
		}
	}
	if n.ptr {
		p := reflect.New(n.typ)
		p.Elem().Set(v)
		v = p
	}
	dst.Set(v)
}

// present reports whether the form carries the member at key: the key
// itself or, for lists, maps and structures, any key below it.
func (d *decoder) present(n *node, key string) bool {
	if _, ok := d.form[key]; ok {
		return true
	}
	if !n.container() {
		return false
	}
	var buf [128]byte
	return d.has(n, append(buf[:0], key...))
}

// has is present for a key in a buffer, which it may append to. It looks
// first for the names the model gives the member's parts, one lookup each,
// and only then for any key below it (see indexPrefixes): every step costs
// the same whatever the size of the form, so decoding is linear in it.
func (d *decoder) has(n *node, key []byte) bool {
	if _, ok := d.form[string(key)]; ok {
		return true
	}
	if !n.container() {
		return false
	}
	return d.hasPart(n, key) || d.hasBelow(key)
}

// hasPart reports whether the form carries one of the parts the model gives
// the list, map or structure n at key: a field, the first list member, the
// first map entry.
func (d *decoder) hasPart(n *node, key []byte) bool {
	base := len(key)
	switch n.shape.Kind {
	case KindStructure:
		for _, f := range n.fields {
			part := append(append(key[:base], '.'), f.name...)
			if _, ok := d.form[string(part)]; ok || f.node.container() && d.hasPart(f.node, part) {
				return true
			}
		}
	case KindList:
		return d.hasMember(n.elem, append(key[:base], ".member.1"...))
	case KindMap:
		return d.hasEntryPart(n, append(key[:base], ".entry.1"...))
	}
	return false
}

// hasEntryPart reports whether the form carries the key or the value of
// the map entry at entry (key.entry.N).
func (d *decoder) hasEntryPart(n *node, entry []byte) bool {
	base := len(entry)
	return d.hasMember(n.key, append(entry, ".key"...)) || d.hasMember(n.elem, append(entry[:base], ".value"...))
}

// hasMember is has by the model's names alone, without the fallback to
// any key below.
func (d *decoder) hasMember(n *node, key []byte) bool {
	if _, ok := d.form[string(key)]; ok {
		return true
	}
	return n.container() && d.hasPart(n, key)
}

func (n *node) container() bool {
	k := n.shape.Kind
	return k == KindStructure || k == KindList || k == KindMap
}

// countMembers counts the list members at key.member.1, .2, … up to the
// first one missing, or up to limit.
func (d *decoder) countMembers(n *node, key string, limit int) int {
	var buf [128]byte
	b := append(append(buf[:0], key...), ".member."...)
	base, count := len(b), 0
	for count < limit {
		b = strconv.AppendInt(b[:base], int64(count+1), 10)
		if !d.has(n, b) {
			break
		}
		count++
	}
	return count
}

// hasBelow reports whether the form has any key below key.
func (d *decoder) hasBelow(key []byte) bool {
	if !d.indexed {
		d.indexPrefixes()
	}
	_, ok := d.prefixes[string(key)]
	return ok
}

// indexPrefixes records, once per form, every prefix of a key that ends
// before a dot ("Tags", "Tags.member", "Tags.member.1" of
// "Tags.member.1.Key"), so that a part the model does not name
// ("Tags.member.1.Bogus") still makes the member present, at the cost of
// one lookup. Prefixes deeper than any member path of the model are not
// recorded, so that a key of a million dots costs no more than a short one.
// A form without dotted keys (the common small request) allocates nothing.
func (d *decoder) indexPrefixes() {
	d.indexed = true
	depth := modelLimits().dots
	for k := range d.form {
		dots := 0
		for i := 0; i < len(k) && dots <= depth; i++ {
			if k[i] != '.' {
				continue
			}
			if d.prefixes == nil {
				d.prefixes = make(map[string]struct{}, len(d.form))
			}
			d.prefixes[k[:i]] = struct{}{}
			dots++
		}
	}
}

func (d *decoder) list(n *node, key, path string, v reflect.Value) {
	limit := len(d.form)
	if n.shape.HasMax {
		limit = min(limit, int(n.shape.Max)+1)
	}
	count := d.countMembers(n.elem, key, limit)
	if n.shape.HasMax && int64(count) > n.shape.Max {
		// Refused on its length alone: counting and decoding every member
		// would cost more than the rest of the request (4,995 tags in
		// 480 KB) only to list their violations beside the one that matters.
		d.checkLength(n, count, path, "")
		return
	}
	v.Set(reflect.MakeSlice(n.typ, count, count))
	for i := 0; i < count; i++ {
		seq := strconv.Itoa(i + 1)
		d.value(n.elem, key+".member."+seq, path+"."+seq+".member", false, v.Index(i))
	}
	d.checkLength(n, count, path, "")
}

func (d *decoder) mapping(n *node, key, path string, v reflect.Value) {
	v.Set(reflect.MakeMap(n.typ))
	for i := 1; i <= len(d.form); i++ {
		entry := key + ".entry." + strconv.Itoa(i)
		var buf [128]byte
		if b := append(buf[:0], entry...); !d.hasEntryPart(n, b) && !d.hasBelow(b) {
			break
		}
		k := reflect.New(n.key.typ).Elem()
		e := reflect.New(n.elem.typ).Elem()
		d.value(n.key, entry+".key", path+".entry.key", true, k)
		d.value(n.elem, entry+".value", path+".entry.value", true, e)
		v.SetMapIndex(k, e)
	}
	d.checkLength(n, v.Len(), path, "")
}

// scalar parses s into v and checks its constraints; false means it could
// not be parsed.
func (d *decoder) scalar(n *node, s, path string, v reflect.Value) bool {
	switch n.shape.Kind {
	case KindString:
		v.SetString(s)
		d.checkLength(n, utf16Len(s), path, s)
		if n.re != nil && !n.re().MatchString(s) {
			if msg, ok := patternMessages[n.shape.Name]; ok && !d.echo {
				d.custom = msg
			} else {
				d.violate(n, path, s, mustMatchPattern(n.shape.Pattern))
			}
		}
		if n.enum != nil && !n.enum[s] {
			d.violate(n, path, s, mustBeInEnum)
		}
	case KindInteger, KindLong:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v.OverflowInt(i) {
			return d.malformed(path, s)
		}
		v.SetInt(i)
		d.checkRange(n, i, path, s)
	case KindBoolean:
		switch {
		case strings.EqualFold(s, "true"):
			v.SetBool(true)
		case strings.EqualFold(s, "false"):
		default:
			return d.malformed(path, s)
		}
	case KindTimestamp:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return d.malformed(path, s)
		}
		v.Set(reflect.ValueOf(t))
	case KindBlob:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return d.malformed(path, s)
		}
		v.SetBytes(b)
	}
	return true
}

func (d *decoder) malformed(path, s string) bool {
	if d.err == nil {
		d.err = malformedInput(s, path)
	}
	return false
}

func (d *decoder) checkLength(n *node, length int, path, s string) {
	if n.shape.HasMin && int64(length) < n.shape.Min {
		d.violate(n, path, s, lengthAtLeast(n.shape.Min))
	}
	if n.shape.HasMax && int64(length) > n.shape.Max {
		d.violate(n, path, s, lengthAtMost(n.shape.Max))
	}
}

func (d *decoder) checkRange(n *node, i int64, path, s string) {
	if n.shape.HasMin && i < n.shape.Min {
		d.violate(n, path, s, valueAtLeast(n.shape.Min))
	}
	if n.shape.HasMax && i > n.shape.Max {
		d.violate(n, path, s, valueAtMost(n.shape.Max))
	}
}

// violate records one constraint violation. IAM names only the member;
// STS also quotes the scalar value, unless it is sensitive.
func (d *decoder) violate(n *node, path, value, constraint string) {
	echo := d.echo && n.shape.Kind != KindList && n.shape.Kind != KindMap && !n.shape.Sensitive
	d.violations = append(d.violations, violation(path, value, echo, constraint))
}

// utf16Len is a string's length as AWS (Java) counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

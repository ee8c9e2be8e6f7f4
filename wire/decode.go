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
	switch len(d.violations) {
	case 0:
		if d.custom != "" {
			return Errorf("ValidationError", "%s", d.custom)
		}
		return nil
	case 1:
		return Errorf("ValidationError", "1 validation error detected: %s", d.violations[0])
	default:
		return Errorf("ValidationError", "%d validation errors detected: %s", len(d.violations), strings.Join(d.violations, "; "))
	}
}

type decoder struct {
	form       url.Values
	echo       bool
	violations []string
	custom     string // a shape's own pattern message, reported only when nothing else is wrong
	err        *Error
}

// patternMessages are the sentences IAM answers, instead of the generic
// pattern violation, when a value fails these shapes' patterns (aws-facts
// §4). The generic checks run first: an overlong path gets the length text.
var patternMessages = map[string]string{
	"pathType": "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
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
	if !d.has(key, n.shape.Kind) {
		if required {
			d.violations = append(d.violations, "Value null at '"+path+"' failed to satisfy constraint: Member must not be null")
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

// has reports whether the form carries the member at key: the key itself
// or, for lists, maps and structures, any key below it.
func (d *decoder) has(key string, k Kind) bool {
	if _, ok := d.form[key]; ok {
		return true
	}
	if k != KindStructure && k != KindList && k != KindMap {
		return false
	}
	for k := range d.form {
		if len(k) > len(key) && k[len(key)] == '.' && strings.HasPrefix(k, key) {
			return true
		}
	}
	return false
}

func (d *decoder) list(n *node, key, path string, v reflect.Value) {
	count := 0
	for count < len(d.form) && d.has(key+".member."+strconv.Itoa(count+1), n.elem.shape.Kind) {
		count++
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
		if !d.has(entry, KindStructure) {
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
				d.violate(n, path, s, "Member must satisfy regular expression pattern: "+n.shape.Pattern)
			}
		}
		if n.enum != nil && !n.enum[s] {
			d.violate(n, path, s, "Member must satisfy enum value set")
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
		d.err = Errorf("MalformedInput", "Value '%s' at '%s' could not be parsed.", s, path)
	}
	return false
}

func (d *decoder) checkLength(n *node, length int, path, s string) {
	if n.shape.HasMin && int64(length) < n.shape.Min {
		d.violate(n, path, s, "Member must have length greater than or equal to "+strconv.FormatInt(n.shape.Min, 10))
	}
	if n.shape.HasMax && int64(length) > n.shape.Max {
		d.violate(n, path, s, "Member must have length less than or equal to "+strconv.FormatInt(n.shape.Max, 10))
	}
}

func (d *decoder) checkRange(n *node, i int64, path, s string) {
	if n.shape.HasMin && i < n.shape.Min {
		d.violate(n, path, s, "Member must have value greater than or equal to "+strconv.FormatInt(n.shape.Min, 10))
	}
	if n.shape.HasMax && i > n.shape.Max {
		d.violate(n, path, s, "Member must have value less than or equal to "+strconv.FormatInt(n.shape.Max, 10))
	}
}

// violate records one constraint violation. IAM names only the member;
// STS also quotes the scalar value, unless it is sensitive.
func (d *decoder) violate(n *node, path, value, constraint string) {
	subject := "Value at '" + path + "'"
	if d.echo && n.shape.Kind != KindList && n.shape.Kind != KindMap && !n.shape.Sensitive {
		subject = "Value '" + value + "' at '" + path + "'"
	}
	d.violations = append(d.violations, subject+" failed to satisfy constraint: "+constraint)
}

// utf16Len is a string's length as AWS (Java) counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

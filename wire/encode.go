package wire

import (
	"encoding/base64"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendResponse appends the XML result document of out (a pointer to the
// SDK output struct, or nil) to buf.
func (b *binding) appendResponse(buf []byte, out any, requestID string) []byte {
	name := b.op.Name + "Response"
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, ` xmlns="`...)
	buf = append(buf, b.op.Service.Namespace...)
	buf = append(buf, `">`...)
	if b.out != nil {
		v := reflect.ValueOf(out)
		buf = appendStart(buf, b.op.Result)
		if v.IsValid() && !v.IsNil() {
			buf = appendFields(buf, b.out, v.Elem())
		}
		buf = appendEnd(buf, b.op.Result)
	}
	buf = append(buf, "<ResponseMetadata><RequestId>"...)
	buf = appendText(buf, requestID)
	buf = append(buf, "</RequestId></ResponseMetadata></"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// appendErrorResponse appends AWS's ErrorResponse document for e.
func appendErrorResponse(buf []byte, namespace string, e *Error, requestID string) []byte {
	buf = append(buf, `<ErrorResponse xmlns="`...)
	buf = append(buf, namespace...)
	buf = append(buf, `"><Error><Type>`...)
	if e.Sender {
		buf = append(buf, "Sender"...)
	} else {
		buf = append(buf, "Receiver"...)
	}
	buf = append(buf, "</Type><Code>"...)
	buf = appendText(buf, e.Code)
	buf = append(buf, "</Code>"...)
	if e.Message != "" {
		buf = append(buf, "<Message>"...)
		buf = appendText(buf, e.Message)
		buf = append(buf, "</Message>"...)
	}
	buf = append(buf, "</Error><RequestId>"...)
	buf = appendText(buf, requestID)
	return append(buf, "</RequestId></ErrorResponse>"...)
}

func appendFields(buf []byte, n *node, v reflect.Value) []byte {
	for i := range n.fields {
		f := &n.fields[i]
		buf = appendMember(buf, f.name, f.node, v.Field(f.index), f.required)
	}
	return buf
}

// appendMember appends <name>value</name>. Absent values (nil pointers,
// slices and maps, empty non-pointer strings, zero times) are omitted,
// except that a required list is written empty, as AWS does.
func appendMember(buf []byte, name string, n *node, v reflect.Value, required bool) []byte {
	if n.ptr {
		if v.IsNil() {
			return buf
		}
		v = v.Elem()
	}
	switch n.shape.Kind {
	case KindList:
		if v.IsNil() && !required {
			return buf
		}
		if v.Len() == 0 {
			return appendEmpty(buf, name)
		}
		buf = appendStart(buf, name)
		for i := 0; i < v.Len(); i++ {
			buf = appendMember(buf, "member", n.elem, v.Index(i), false)
		}
		return appendEnd(buf, name)
	case KindMap:
		if v.IsNil() && !required {
			return buf
		}
		return appendMap(buf, name, n, v)
	case KindStructure:
		buf = appendStart(buf, name)
		buf = appendFields(buf, n, v)
		return appendEnd(buf, name)
	case KindString:
		if v.Len() == 0 && !n.ptr {
			return buf
		}
	case KindTimestamp:
		if v.Interface().(time.Time).IsZero() {
			return buf
		}
	case KindBlob:
		if v.IsNil() {
			return buf
		}
	}
	buf = appendStart(buf, name)
	buf = appendScalar(buf, n, v)
	return appendEnd(buf, name)
}

func appendMap(buf []byte, name string, n *node, v reflect.Value) []byte {
	if v.Len() == 0 {
		return appendEmpty(buf, name)
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int {
		if a.String() < b.String() {
			return -1
		}
		if a.String() > b.String() {
			return 1
		}
		return 0
	})
	buf = appendStart(buf, name)
	for _, k := range keys {
		buf = append(buf, "<entry>"...)
		buf = appendMember(buf, "key", n.key, k, true)
		buf = appendMember(buf, "value", n.elem, v.MapIndex(k), true)
		buf = append(buf, "</entry>"...)
	}
	return appendEnd(buf, name)
}

func appendScalar(buf []byte, n *node, v reflect.Value) []byte {
	switch n.shape.Kind {
	case KindString:
		return appendText(buf, v.String())
	case KindInteger, KindLong:
		return strconv.AppendInt(buf, v.Int(), 10)
	case KindBoolean:
		return strconv.AppendBool(buf, v.Bool())
	case KindTimestamp:
		return v.Interface().(time.Time).UTC().AppendFormat(buf, "2006-01-02T15:04:05Z")
	case KindBlob:
		return base64.StdEncoding.AppendEncode(buf, v.Bytes())
	}
	return buf
}

func appendStart(buf []byte, name string) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	return append(buf, '>')
}

func appendEnd(buf []byte, name string) []byte {
	buf = append(buf, '<', '/')
	buf = append(buf, name...)
	return append(buf, '>')
}

func appendEmpty(buf []byte, name string) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	return append(buf, '/', '>')
}

// appendText appends s escaped as XML character data. Characters XML 1.0
// cannot carry are written as U+FFFD.
func appendText(buf []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '\r':
			esc = "&#xD;"
		case r == '"':
			esc = "&quot;"
		case r < 0x20 && r != '\n' && r != '\t', r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError && size == 1:
			esc = "\uFFFD"
		default:
			i += size
			continue
		}
		buf = append(buf, s[last:i]...)
		buf = append(buf, esc...)
		i += size
		last = i
	}
	return append(buf, s[last:]...)
}

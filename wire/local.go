package wire

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"
)

// Decode is the input of I's action read from form as a Query request's
// parameters are (UserName=taro&Tags.member.1.Key=k…), with the model's
// checks and their ValidationError texts: for a client inside the
// process, such as the console, whose input comes from an HTML form and
// must be refused as the API would refuse it.
func Decode[I any](form url.Values) (*I, error) {
	b, err := inputBinding(reflect.TypeFor[I]())
	if err != nil {
		return nil, err
	}
	in := new(I)
	if e := b.decode(form, in); e != nil {
		return nil, e
	}
	return in, nil
}

// inputBindings caches inputBinding's answers by input type.
var inputBindings sync.Map

// inputBinding is the binding of the action whose SDK input type is t,
// input only.
func inputBinding(t reflect.Type) (*binding, error) {
	if b, ok := inputBindings.Load(t); ok {
		return b.(*binding), nil
	}
	op := LookupOperation(strings.TrimSuffix(t.Name(), "Input"))
	if op == nil {
		return nil, fmt.Errorf("wire: no operation for %s", t)
	}
	b := &binding{op: op, echo: op.Service.Name == "sts"}
	if op.Input >= 0 {
		n, err := compile(op.Service, op.Input, t)
		if err != nil {
			return nil, fmt.Errorf("wire: %s input: %w", op.Name, err)
		}
		b.in = n
	}
	inputBindings.Store(t, b)
	return b, nil
}

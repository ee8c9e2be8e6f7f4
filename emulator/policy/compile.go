package policy

import (
	"strconv"
	"strings"
)

// Compiled is a policy ready to evaluate: everything that does not depend
// on the request is worked out once, so evaluation reads no JSON and
// allocates nothing unless a policy variable needs resolving. It is
// immutable and safe to share between goroutines.
type Compiled struct {
	// ID labels the policy in decisions: its ARN, or a name such as
	// "inline:user/alice:name"; Evaluate does not interpret it.
	ID         string
	statements []statement
	// byAction indexes the statements whose actions are all literal by
	// each action, and wild lists the others; both in document order.
	byAction map[string]*effectLists
	wild     effectLists
}

type effectLists struct {
	allow, deny []int32
}

type statement struct {
	label        string
	effect       Effect
	actions      []pattern
	notAction    bool
	resources    []resource
	notResource  bool
	anyResource  bool // no Resource nor NotResource: a trust policy's statement
	principal    *principalSet
	notPrincipal bool
	conditions   []condition
}

// resource is a Resource or NotResource value: a pattern, or a template
// when it holds policy variables.
type resource struct {
	pattern pattern
	tmpl    template
}

// Compile compiles doc under the label id.
func Compile(id string, doc *Document) *Compiled {
	c := &Compiled{ID: id, statements: make([]statement, len(doc.Statements)),
		byAction: map[string]*effectLists{}}
	variables := doc.Version == variablesVersion
	for i, s := range doc.Statements {
		c.statements[i] = compileStatement(i, s, variables)
		c.index(int32(i), &c.statements[i])
	}
	return c
}

func compileStatement(i int, s Statement, variables bool) statement {
	out := statement{label: s.Sid, effect: s.Effect, notAction: s.NotAction != nil,
		notResource: s.NotResource != nil, anyResource: s.Resource == nil && s.NotResource == nil}
	if out.label == "" {
		out.label = "#" + strconv.Itoa(i)
	}
	actions := s.Action
	if out.notAction {
		actions = s.NotAction
	}
	for _, a := range actions {
		out.actions = append(out.actions, newPattern(escapeBackslashes(strings.ToLower(a))))
	}
	resources := s.Resource
	if out.notResource {
		resources = s.NotResource
	}
	for _, r := range resources {
		var t template
		if variables {
			t = parseTemplate(r)
		}
		out.resources = append(out.resources, resource{pattern: newPattern(escapeBackslashes(r)), tmpl: t})
	}
	switch {
	case s.Principal != nil:
		out.principal = compilePrincipal(s.Principal)
	case s.NotPrincipal != nil:
		out.principal, out.notPrincipal = compilePrincipal(s.NotPrincipal), true
	}
	for _, cond := range s.Conditions {
		out.conditions = append(out.conditions, compileCondition(cond, variables))
	}
	return out
}

// index files statement i under each of its literal actions, or among the
// wild ones when an action has a wildcard or the statement has NotAction.
func (c *Compiled) index(i int32, s *statement) {
	literal := !s.notAction
	for _, a := range s.actions {
		literal = literal && a.kind == matchExact
	}
	if !literal {
		c.wild.add(i, s.effect)
		return
	}
	for _, a := range s.actions {
		l := c.byAction[a.s]
		if l == nil {
			l = &effectLists{}
			c.byAction[a.s] = l
		}
		if list := l.of(s.effect); len(list) == 0 || list[len(list)-1] != i {
			l.add(i, s.effect)
		}
	}
}

func (l *effectLists) add(i int32, e Effect) {
	if e == Deny {
		l.deny = append(l.deny, i)
	} else {
		l.allow = append(l.allow, i)
	}
}

func (l *effectLists) of(e Effect) []int32 {
	if l == nil {
		return nil
	}
	if e == Deny {
		return l.deny
	}
	return l.allow
}

// candidates are the statements of c whose action may match the request's.
func (c *Compiled) candidates(action string) *effectLists {
	return c.byAction[action]
}

// first answers the first statement (in document order) with effect that
// applies to the request among the candidates, or -1.
func (c *Compiled) first(e *evaluation, candidates *effectLists, effect Effect) int {
	literal, wild := candidates.of(effect), c.wild.of(effect)
	for len(literal) > 0 || len(wild) > 0 {
		var i int32
		if len(wild) == 0 || len(literal) > 0 && literal[0] < wild[0] {
			i, literal = literal[0], literal[1:]
		} else {
			i, wild = wild[0], wild[1:]
		}
		if c.statements[i].applies(e) {
			return int(i)
		}
	}
	return -1
}

// applies reports whether the statement matches the request: its action,
// resource, principal (resource-based policies) and every condition.
func (s *statement) applies(e *evaluation) bool {
	if !s.matchesAction(e.action) || !s.matchesResource(e.req) {
		return false
	}
	if e.principals {
		matched, direct := s.principal.match(&e.req.Principal)
		if matched == s.notPrincipal {
			return false
		}
		e.direct = direct && !s.notPrincipal
	}
	for i := range s.conditions {
		if !s.conditions[i].eval(e.req.Context) {
			return false
		}
	}
	return true
}

func (s *statement) matchesAction(action string) bool {
	for _, a := range s.actions {
		if a.match(action) {
			return !s.notAction
		}
	}
	return s.notAction
}

// matchesResource matches the request's resource. A value whose variable
// does not resolve matches nothing, and a NotResource holding one makes
// the statement not apply: AWS says an unresolved variable "can invalidate
// the entire statement".
func (s *statement) matchesResource(req *Request) bool {
	if s.anyResource {
		return true
	}
	for _, r := range s.resources {
		p := r.pattern
		if r.tmpl != nil {
			resolved, ok := r.tmpl.resolve(req.Context, true)
			if !ok {
				if s.notResource {
					return false
				}
				continue
			}
			p = newPattern(resolved)
		}
		if p.matchARN(req.Resource) {
			return !s.notResource
		}
	}
	return s.notResource
}

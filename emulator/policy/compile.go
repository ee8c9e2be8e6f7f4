package policy

import (
	"strconv"
	"strings"
)

// Compiled is a policy ready to evaluate: everything that does not depend
// on the request is worked out once, so evaluation reads no JSON and
// allocates only to resolve policy variables. It shares nothing with the
// Document, is immutable, and is safe to share between goroutines.
type Compiled struct {
	// ID labels the policy in decisions: its ARN, or a name such as
	// "inline:user/alice:name"; Evaluate does not interpret it.
	ID         string
	statements []statement
	// services indexes the statements by the service of their actions;
	// wild lists those an action of any service may match (a wildcard in
	// the service, or NotAction). Each list holds every statement that may
	// match its actions, in document order, so that a request scans one.
	services map[string]*serviceIndex
	wild     effectLists
}

type serviceIndex struct {
	byAction map[string]*effectLists // literal actions
	wild     effectLists             // the statements with a wildcard action of the service
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
		services: map[string]*serviceIndex{}}
	variables := doc.Version == variablesVersion
	for i, s := range doc.Statements {
		c.statements[i] = compileStatement(i, s, variables)
		c.index(int32(i), &c.statements[i])
	}
	c.mergeLists()
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

// index files statement i under each of its actions: by service, and
// under the action itself when it is literal.
func (c *Compiled) index(i int32, s *statement) {
	if s.notAction {
		c.wild.add(i, s.effect)
		return
	}
	for _, a := range s.actions {
		service, _, ok := strings.Cut(a.s, ":")
		if !ok || a.kind == matchAll || strings.ContainsAny(service, `*?\`) {
			c.wild.add(i, s.effect)
			continue
		}
		si := c.services[service]
		if si == nil {
			si = &serviceIndex{byAction: map[string]*effectLists{}}
			c.services[service] = si
		}
		if a.kind != matchExact {
			si.wild.add(i, s.effect)
			continue
		}
		l := si.byAction[a.s]
		if l == nil {
			l = &effectLists{}
			si.byAction[a.s] = l
		}
		l.add(i, s.effect)
	}
}

// add appends statement i once, however many of its actions file it here.
func (l *effectLists) add(i int32, e Effect) {
	list := &l.allow
	if e == Deny {
		list = &l.deny
	}
	if n := len(*list); n == 0 || (*list)[n-1] != i {
		*list = append(*list, i)
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

// mergeLists completes the index: a service's wildcard statements join
// its literal actions' lists, and the statements of any service join all.
func (c *Compiled) mergeLists() {
	for _, si := range c.services {
		si.wild.merge(&c.wild)
		for _, l := range si.byAction {
			l.merge(&si.wild)
		}
	}
}

func (l *effectLists) merge(other *effectLists) {
	l.allow, l.deny = mergeSorted(l.allow, other.allow), mergeSorted(l.deny, other.deny)
}

func mergeSorted(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}

// candidates are the statements of c whose action may match the request's.
func (c *Compiled) candidates(action string) *effectLists {
	service, _, _ := strings.Cut(action, ":")
	si := c.services[service]
	if si == nil {
		return &c.wild
	}
	if l := si.byAction[action]; l != nil {
		return l
	}
	return &si.wild
}

// first answers the first statement (in document order) with effect that
// applies to the request among the candidates, or -1.
func (c *Compiled) first(e *evaluation, candidates *effectLists, effect Effect) int {
	for _, i := range candidates.of(effect) {
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
		g := s.principal.match(&e.req.Principal)
		if (g != grantNone) == s.notPrincipal {
			return false
		}
		e.grant = g
		if s.notPrincipal {
			e.grant = grantCaller
		}
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

package wire

import "sync"

//go:generate go run ./internal/modelgen -o model_gen.go

// Kind is a model shape's type.
type Kind uint8

const (
	KindString Kind = iota + 1
	KindInteger
	KindLong
	KindBoolean
	KindTimestamp
	KindBlob
	KindList
	KindMap
	KindStructure
)

// Service is one AWS service's Query protocol model.
type Service struct {
	Name       string // SigV4 service name and endpoint prefix: "iam", "sts"
	Version    string // the Version parameter: "2010-05-08"
	Namespace  string // the XML namespace of results and errors
	Shapes     []Shape
	Operations []Operation
}

// Shape is a model shape with the constraints the codec enforces. Member,
// Key, Value and Members[i].Shape index the service's Shapes.
type Shape struct {
	Name           string
	Kind           Kind
	HasMin, HasMax bool
	Min, Max       int64
	Pattern        string // as the model (and AWS's messages) print it
	re             string // Pattern as an anchored RE2 expression
	Enum           []string
	Sensitive      bool
	Member         int
	Key, Value     int
	Members        []Member
}

// Member is a structure member.
type Member struct {
	Name     string
	Shape    int
	Required bool
}

// Operation is one action: its input and output shapes (-1 when it has
// none) and the element that wraps its result.
type Operation struct {
	Name          string
	Input, Output int
	Result        string
	Service       *Service
}

var operations = map[string]*Operation{}

func init() {
	for _, s := range []*Service{iamService, stsService} {
		for i := range s.Operations {
			op := &s.Operations[i]
			op.Service = s
			operations[op.Name] = op
		}
	}
}

// LookupOperation returns the operation named action in IAM or STS, or nil.
func LookupOperation(action string) *Operation { return operations[action] }

// limits are bounds on every request the model allows.
type limits struct {
	params int // the most parameters an action takes (see paramsOf)
	dots   int // the most dots in a parameter name ("Tags.member.1.Key": 3)
}

// unboundedListMembers bounds the lists the model gives no maximum
// (the policy simulator's actions, resources, policies and context entries
// and values; OIDC client ids and thumbprints; STS policy descriptors).
// AWS documents none for the simulator's; its quotas page allows 100 client
// ids per OIDC provider, the largest of the others, so every unbounded list
// is counted as up to 100 members.
const unboundedListMembers = 100

// requestOverhead is the parameters beside the action's own: Action,
// Version, and a presigned request's seven X-Amz-* parameters.
const requestOverhead = 2 + 7

// fewParams is a parameter count every action may take: a request with no
// more is never refused for its count, and the common small one does not
// wait for modelLimits to walk the model.
const fewParams = 256

// modelLimits derives the limits from the model, on first use.
var modelLimits = sync.OnceValue(func() limits {
	l := limits{}
	for _, svc := range []*Service{iamService, stsService} {
		for _, op := range svc.Operations {
			if op.Input < 0 {
				continue
			}
			params, _ := paramsOf(svc, op.Input)
			l.params = max(l.params, requestOverhead+params)
			for _, m := range svc.Shapes[op.Input].Members {
				_, dots := paramsOf(svc, m.Shape)
				l.dots = max(l.dots, dots)
			}
		}
	}
	return l
})

// paramsOf returns how many leaf parameters a value of the shape can take,
// each list holding up to its model maximum, and the most dots its
// parameter names add below the member's own name.
func paramsOf(svc *Service, shape int) (params, dots int) {
	s := &svc.Shapes[shape]
	switch s.Kind {
	case KindStructure:
		for _, m := range s.Members {
			p, d := paramsOf(svc, m.Shape)
			params, dots = params+p, max(dots, 1+d) // Name.Member
		}
		return params, dots
	case KindList:
		p, d := paramsOf(svc, s.Member)
		return members(s) * max(p, 1), 2 + d // Name.member.N
	case KindMap:
		kp, kd := paramsOf(svc, s.Key)
		vp, vd := paramsOf(svc, s.Value)
		return members(s) * (kp + vp), 3 + max(kd, vd) // Name.entry.N.key
	}
	return 1, 0
}

func members(s *Shape) int {
	if s.HasMax {
		return int(s.Max)
	}
	return unboundedListMembers
}

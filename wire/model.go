package wire

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

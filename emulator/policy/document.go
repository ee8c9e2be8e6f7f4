package policy

// Document is a parsed policy document. Lists keep the document's order.
// An element that is absent is nil; one present with an empty list is an
// empty, non-nil slice (AWS tells the two apart in some grammars).
type Document struct {
	Version    string // "2012-10-17", "2008-10-17", or "" when absent
	ID         string
	Statements []Statement // one object or a list in JSON
}

// Effect is what a statement does when it matches.
type Effect string

// The effects, as AWS writes them; Parse accepts any case of them and
// ParseIdentity refuses all but these, as AWS's legacy parser does.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one statement of a document. Actions are lower-cased, as IAM
// matches them case-insensitively; resources keep their case, as ARNs match
// case-sensitively.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principal // for resource and trust policies
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Conditions   []Condition // sorted by operator, then key
}

// Principal is a Principal or NotPrincipal element: "*", or a map from a
// principal type ("AWS", "Service", "Federated", "CanonicalUser") to its
// identifiers.
type Principal struct {
	Any bool // "*"
	IDs map[string][]string
}

// Condition is one key of one operator block:
// {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]}}.
type Condition struct {
	Operator string // as written: "ForAnyValue:StringLikeIfExists"
	Set      string // "ForAnyValue", "ForAllValues", or ""
	Base     string // the operator without its set qualifier or IfExists: "StringLike"
	IfExists bool
	Key      string   // lower-cased: condition keys match case-insensitively
	Values   []string // JSON booleans and numbers as written: "true", "42"
}

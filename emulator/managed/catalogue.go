package managed

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// snapshot is the gzipped catalogue; README.md says where it comes from
// and how to refresh it.
//
//go:embed aws-managed-policies.json.gz
var snapshot []byte

// Policy is one AWS managed policy with its default version, the only
// version the snapshot knows.
type Policy struct {
	Name string
	// ARN is in the aws partition, arn:aws:iam::aws:policy<Path><Name>;
	// ARNIn gives it in another.
	ARN              string
	Path             string
	ID               string // ANPA…: AWS's own, or derived from the ARN when the snapshot has none
	DefaultVersionID string
	Created, Updated time.Time // UTC
	// Document is the default version's policy document, JSON text byte
	// for byte as in the snapshot. AWS returns documents URL-encoded; that
	// encoding is the caller's.
	Document string
}

// arnBase is every policy's ARN before its path and name.
const arnBase = "arn:aws:iam::aws:policy"

type catalogue struct {
	listed []*Policy // AWS's listing order
	byARN  map[string]*Policy
}

var load = sync.OnceValues(func() (*catalogue, error) { return parse(snapshot) })

func loaded() *catalogue {
	c, err := load()
	if err != nil {
		panic("managed: the embedded catalogue does not decode: " + err.Error()) // the package's tests decode it
	}
	return c
}

// Lookup is the policy whose ARN is arn, in the aws partition
// (arn:aws:iam::aws:policy/…). ARNs match exactly, case included: no AWS
// answer to a case variant is on record (see README.md).
func Lookup(arn string) (*Policy, bool) {
	p, ok := loaded().byARN[arn]
	return p, ok
}

// LookupIn is the policy whose ARN is arn in partition, as a request
// signed for that partition names it (arn:aws-cn:iam::aws:policy/… for
// "aws-cn"); an ARN of another partition finds nothing.
func LookupIn(partition, arn string) (*Policy, bool) {
	rest, ok := strings.CutPrefix(arn, "arn:"+partition+":")
	if !ok {
		return nil, false
	}
	if partition == "aws" {
		return Lookup(arn)
	}
	return Lookup("arn:aws:" + rest)
}

// ARNIn is p's ARN in partition: arn:aws-cn:iam::aws:policy/… for "aws-cn".
func (p *Policy) ARNIn(partition string) string {
	if partition == "aws" {
		return p.ARN
	}
	return "arn:" + partition + strings.TrimPrefix(p.ARN, "arn:aws")
}

// All is every policy in the order ListPolicies with Scope=AWS returns
// them: ascending PolicyId, byte by byte. The slice is shared: do not
// modify it.
func All() []*Policy { return loaded().listed }

// WithPathPrefix is the policies whose path begins with prefix ("/" for
// all, "/service-role/", "/aws-service-role/", …), in All's order. The
// slice may be All's: do not modify it.
func WithPathPrefix(prefix string) []*Policy {
	all := All()
	if prefix == "/" || prefix == "" {
		return all
	}
	var out []*Policy
	for _, p := range all {
		if strings.HasPrefix(p.Path, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// entry is one policy as the snapshot file spells it.
type entry struct {
	PolicyName, Arn, Path, DefaultVersionId, PolicyId string
	CreateDate, UpdateDate                            time.Time
	Document                                          documentText
}

// documentText keeps a JSON value's text as it is in the file, one string
// per document and no re-encoding.
type documentText string

func (d *documentText) UnmarshalJSON(b []byte) error {
	*d = documentText(b)
	return nil
}

// parse decodes a gzipped snapshot into a catalogue and checks what the
// emulator relies on: ARNs that match path and name, ids of AWS's shape,
// no ARN or id twice, and documents that are JSON objects.
func parse(gz []byte) (*catalogue, error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, err
	}
	var file struct{ Policies []entry }
	if err := json.Unmarshal(raw, &file); err != nil {
		return nil, err
	}
	policies := make([]Policy, len(file.Policies))
	c := &catalogue{listed: make([]*Policy, len(policies)), byARN: make(map[string]*Policy, len(policies))}
	ids := make(map[string]bool, len(policies))
	for i, e := range file.Policies {
		p := &policies[i]
		*p = Policy{
			Name: e.PolicyName, ARN: e.Arn, Path: e.Path, ID: e.PolicyId,
			DefaultVersionID: e.DefaultVersionId,
			Created:          e.CreateDate.UTC(), Updated: e.UpdateDate.UTC(),
			Document: string(e.Document),
		}
		if p.ID == "" {
			p.ID = derivedID(p.ARN)
		}
		if err := check(p); err != nil {
			return nil, err
		}
		if c.byARN[p.ARN] != nil || ids[p.ID] {
			return nil, fmt.Errorf("%s: ARN or id %s listed twice", p.ARN, p.ID)
		}
		c.byARN[p.ARN], ids[p.ID] = p, true
		c.listed[i] = p
	}
	slices.SortFunc(c.listed, func(a, b *Policy) int { return cmp.Compare(a.ID, b.ID) })
	return c, nil
}

func check(p *Policy) error {
	switch {
	case p.ARN != arnBase+p.Path+p.Name || !strings.HasPrefix(p.Path, "/"):
		return fmt.Errorf("%s: does not match path %q and name %q", p.ARN, p.Path, p.Name)
	case !isPolicyID(p.ID):
		return fmt.Errorf("%s: id %q is not ANPA and 17 base32 characters", p.ARN, p.ID)
	case !strings.HasPrefix(p.Document, "{"):
		return fmt.Errorf("%s: document is not a JSON object", p.ARN)
	case p.DefaultVersionID == "" || p.Created.IsZero() || p.Updated.IsZero():
		return fmt.Errorf("%s: version id or dates missing", p.ARN)
	}
	return nil
}

// gunzip decompresses into one buffer of the size the gzip trailer records
// (a hint only: it is bounded, and a wrong one costs a copy).
func gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(min(int(binary.LittleEndian.Uint32(gz[len(gz)-4:])), 64*len(gz)) + bytes.MinRead)
	if _, err := buf.ReadFrom(zr); err != nil { // gzip checks the CRC and size at the end
		return nil, err
	}
	return buf.Bytes(), nil
}

// idChars is AWS's alphabet for unique ids (ids.go uniqueID in emulator).
const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

const (
	idPrefix      = "ANPA"
	idSuffixChars = 17
)

// derivedID is the id of a policy the snapshot gives none: ANPA and 17
// characters of AWS's alphabet, the low five bits of the first 17 bytes
// of SHA-256 of the ARN. The same ARN gives the same id in every run and
// every build: clients may keep it. Do not change the function.
func derivedID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	id := append(make([]byte, 0, len(idPrefix)+idSuffixChars), idPrefix...)
	for _, b := range sum[:idSuffixChars] {
		id = append(id, idChars[b&31])
	}
	return string(id)
}

func isPolicyID(id string) bool {
	suffix, ok := strings.CutPrefix(id, idPrefix)
	if !ok || len(suffix) != idSuffixChars {
		return false
	}
	for i := range len(suffix) {
		if !strings.ContainsRune(idChars, rune(suffix[i])) {
			return false
		}
	}
	return true
}

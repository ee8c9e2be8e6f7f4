package managed

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestAllHoldsTheWholeCatalogue(t *testing.T) {
	if got, want := len(All()), 1485; got != want {
		t.Fatalf("len(All())=%d, want %d", got, want)
	}
}

// The catalogue costs nothing until it is first used: measured in a fresh
// process, as this one has loaded it already.
func TestNothingIsDecodedBeforeFirstUse(t *testing.T) {
	if os.Getenv("MANAGED_TEST_FRESH") == "1" {
		before := liveHeap()
		All()
		os.Stdout.WriteString(fmt.Sprintf("heap %d %d\n", before, liveHeap()))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNothingIsDecodedBeforeFirstUse$")
	cmd.Env = append(os.Environ(), "MANAGED_TEST_FRESH=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child process: %v", err)
	}
	var before, after int
	if _, err := fmt.Sscanf(string(out), "heap %d %d", &before, &after); err != nil {
		t.Fatalf("child printed %q: %v", out, err)
	}
	if before > 2<<20 || after-before < 3<<20 {
		t.Fatalf("live heap %d bytes before first use and %d after, want under 2 MiB before and 3 MiB more after", before, after)
	}
}

func TestKnownPolicies(t *testing.T) {
	tests := []struct {
		arn, name, path, id, version string
		created                      time.Time
	}{
		{"arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1", time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC)},
		{"arn:aws:iam::aws:policy/IAMUserChangePassword", "IAMUserChangePassword", "/", "ANPAJ4L4MM2A7QIEB56MS", "v5", time.Date(2016, 11, 15, 0, 25, 16, 0, time.UTC)},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", "ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "v182", time.Date(2015, 2, 6, 18, 39, 48, 0, time.UTC)},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess", "/job-function/", "ANPAID22R6XPJATWOFDK6", "v45", time.Date(2016, 11, 10, 17, 20, 15, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := Lookup(tt.arn)
			if !ok {
				t.Fatalf("Lookup(%s) found nothing", tt.arn)
			}
			got := [...]string{p.Name, p.ARN, p.Path, p.ID, p.DefaultVersionID}
			if want := [...]string{tt.name, tt.arn, tt.path, tt.id, tt.version}; got != want {
				t.Fatalf("name, ARN, path, id, version=%q, want %q", got, want)
			}
			if !p.Created.Equal(tt.created) || p.Created.Location() != time.UTC {
				t.Fatalf("Created=%v, want %v in UTC", p.Created, tt.created)
			}
		})
	}
}

func TestDocumentIsTheSnapshotText(t *testing.T) {
	p, _ := Lookup("arn:aws:iam::aws:policy/AdministratorAccess")
	if got, want := p.Document, `{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`; got != want {
		t.Fatalf("Document=%s, want %s", got, want)
	}
}

func TestEveryDocumentIsAJSONObjectOfVersion2012(t *testing.T) {
	for _, p := range All() {
		var doc struct{ Version string }
		if err := json.Unmarshal([]byte(p.Document), &doc); err != nil {
			t.Fatalf("%s: document is not JSON: %v", p.ARN, err)
		}
		if got, want := doc.Version, "2012-10-17"; got != want {
			t.Fatalf("%s: Version=%q, want %q", p.ARN, got, want)
		}
	}
}

var awsPolicyID = regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`)

func TestIDsAreUniqueAndOfAWSShape(t *testing.T) {
	seen := map[string]string{}
	for _, p := range All() {
		if !awsPolicyID.MatchString(p.ID) {
			t.Fatalf("%s: id %q is not ANPA and 17 base32 characters", p.ARN, p.ID)
		}
		if other, dup := seen[p.ID]; dup {
			t.Fatalf("%s and %s share id %s", other, p.ARN, p.ID)
		}
		seen[p.ID] = p.ARN
	}
}

// The snapshot gives no PolicyId for 184 policies; theirs are derived.
func TestDerivedIDsAreAFunctionOfTheARN(t *testing.T) {
	derived := 0
	for _, p := range All() {
		if p.ID == derivedID(p.ARN) {
			derived++
		}
	}
	if got, want := derived, 184; got != want {
		t.Fatalf("policies with a derived id=%d, want %d", got, want)
	}
	// Pinned (and computed apart, in Python, from the same definition):
	// a derived id is something clients may have kept.
	p, _ := Lookup("arn:aws:iam::aws:policy/AIDevOpsAgentAccessPolicy")
	if got, want := p.ID, "ANPAQYUYHHY3E6VTJZQY5"; got != want {
		t.Fatalf("AIDevOpsAgentAccessPolicy id=%s, want %s", got, want)
	}
}

func TestDerivedIDsAreTheSameInASecondLoad(t *testing.T) {
	again, err := parse(snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := idDigest(again.listed), idDigest(All()); got != want {
		t.Fatalf("ids of a second load hash to %s, want %s", got, want)
	}
}

func TestDerivedIDsAreTheSameInAnotherProcess(t *testing.T) {
	if os.Getenv("MANAGED_TEST_PRINT_IDS") == "1" {
		os.Stdout.WriteString("ids " + idDigest(All()) + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDerivedIDsAreTheSameInAnotherProcess$")
	cmd.Env = append(os.Environ(), "MANAGED_TEST_PRINT_IDS=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child process: %v", err)
	}
	if got, want := string(out), "ids "+idDigest(All())+"\n"; !strings.HasPrefix(got, want) {
		t.Fatalf("child printed %q, want it to start with %q", got, want)
	}
}

func idDigest(ps []*Policy) string {
	h := sha256.New()
	for _, p := range ps {
		h.Write([]byte(p.ARN + " " + p.ID + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name, partition, arn string
		found                bool
	}{
		{"Exact", "aws", "arn:aws:iam::aws:policy/ReadOnlyAccess", true},
		{"WithPath", "aws", "arn:aws:iam::aws:policy/service-role/AWSConfigRulesExecutionRole", true},
		{"OtherCase", "aws", "arn:aws:iam::aws:policy/readonlyaccess", false},
		{"MissingPath", "aws", "arn:aws:iam::aws:policy/AWSConfigRulesExecutionRole", false},
		{"Unknown", "aws", "arn:aws:iam::aws:policy/NoSuchPolicy", false},
		{"CustomerAccount", "aws", "arn:aws:iam::123456789012:policy/ReadOnlyAccess", false},
		{"China", "aws-cn", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", true},
		{"GovCloud", "aws-us-gov", "arn:aws-us-gov:iam::aws:policy/service-role/AWSConfigRulesExecutionRole", true},
		{"ChinaARNInAws", "aws", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", false},
		{"AwsARNInChina", "aws-cn", "arn:aws:iam::aws:policy/ReadOnlyAccess", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, found := LookupIn(tt.partition, tt.arn)
			if got, want := found, tt.found; got != want {
				t.Fatalf("LookupIn(%s, %s) found=%v, want %v", tt.partition, tt.arn, got, want)
			}
			if found && p.ARNIn(tt.partition) != tt.arn {
				t.Fatalf("ARNIn(%s)=%s, want %s", tt.partition, p.ARNIn(tt.partition), tt.arn)
			}
		})
	}
}

func TestLookupTakesOnlyTheAwsPartition(t *testing.T) {
	if _, found := Lookup("arn:aws:iam::aws:policy/ReadOnlyAccess"); !found {
		t.Fatal("Lookup of the aws ARN found nothing, want ReadOnlyAccess")
	}
	if p, found := Lookup("arn:aws-cn:iam::aws:policy/ReadOnlyAccess"); found {
		t.Fatalf("Lookup of an aws-cn ARN found %s, want nothing", p.ARN)
	}
}

// AWS lists AWS managed policies in ascending PolicyId order: an
// `aws iam list-policies --scope AWS` run recorded by
// github.com/cloudy-native/aws-managed-policies (toc.md, made by run.sh)
// starts with these, whose ids ascend (ANPAI23HZ…, ANPAI2D5N…, …).
func TestAllIsInAWSListingOrder(t *testing.T) {
	all := All()
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Fatalf("%s (%s) listed before %s (%s)", all[i-1].Name, all[i-1].ID, all[i].Name, all[i].ID)
		}
	}
	recorded := []string{"AWSDirectConnectReadOnlyAccess", "AmazonGlacierReadOnlyAccess", "AWSMarketplaceFullAccess", "ClientVPNServiceRolePolicy", "AWSSSODirectoryAdministrator", "AutoScalingConsoleReadOnlyAccess"}
	var listed []string
	for _, p := range all {
		for _, name := range recorded {
			if p.Name == name {
				listed = append(listed, name)
			}
		}
	}
	if got, want := strings.Join(listed, " "), strings.Join(recorded, " "); got != want {
		t.Fatalf("listed in order %s, want %s", got, want)
	}
}

func TestWithPathPrefix(t *testing.T) {
	tests := []struct {
		prefix string
		want   int
	}{
		{"/", 1485},
		{"/service-role/", 218},
		{"/aws-service-role/", 339},
		{"/job-function/", 8},
		{"/service", 218}, // a prefix of the path string, as AWS's PathPrefix
		{"/nothing-here/", 0},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			got := WithPathPrefix(tt.prefix)
			if len(got) != tt.want {
				t.Fatalf("len(WithPathPrefix(%s))=%d, want %d", tt.prefix, len(got), tt.want)
			}
			for i, p := range got {
				if !strings.HasPrefix(p.Path, tt.prefix) {
					t.Fatalf("%s has path %s, want prefix %s", p.ARN, p.Path, tt.prefix)
				}
				if i > 0 && got[i-1].ID >= p.ID {
					t.Fatalf("%s listed before %s, want ascending ids", got[i-1].ID, p.ID)
				}
			}
		})
	}
}

func TestParseRefusesABadSnapshot(t *testing.T) {
	const doc = `"Document":{"Version":"2012-10-17","Statement":[]}`
	const dates = `"DefaultVersionId":"v1","CreateDate":"2015-02-06T18:39:46+00:00","UpdateDate":"2015-02-06T18:39:46+00:00"`
	tests := map[string]string{
		"ARNNotPathAndName": `{"Policies":[{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/B","Path":"/",` + dates + `,` + doc + `}]}`,
		"BadID":             `{"Policies":[{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/A","Path":"/","PolicyId":"AIDAIWMBCKSKIEE64ZLYK",` + dates + `,` + doc + `}]}`,
		"DocumentNotObject": `{"Policies":[{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/A","Path":"/",` + dates + `,"Document":"{}"}]}`,
		"NoVersion":         `{"Policies":[{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/A","Path":"/",` + doc + `}]}`,
		"Twice":             `{"Policies":[{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/A","Path":"/",` + dates + `,` + doc + `},{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/A","Path":"/",` + dates + `,` + doc + `}]}`,
		"NotJSON":           `{"Policies":[`,
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := parse(gzipped(t, text)); err == nil {
				t.Fatalf("parse(%s) succeeded, want an error", text)
			}
		})
	}
	t.Run("Truncated", func(t *testing.T) {
		if _, err := parse(snapshot[:len(snapshot)/2]); err == nil {
			t.Fatal("parse of half the snapshot succeeded, want an error")
		}
	})
	t.Run("Good", func(t *testing.T) {
		good := `{"Policies":[{"PolicyName":"A","Arn":"arn:aws:iam::aws:policy/A","Path":"/",` + dates + `,` + doc + `}]}`
		if _, err := parse(gzipped(t, good)); err != nil {
			t.Fatalf("parse(%s): %v, want success", good, err)
		}
	})
}

func gzipped(t testing.TB, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

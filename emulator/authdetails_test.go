package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// BenchmarkGetAccountAuthorizationDetails is the whole answer of
// benchAccount: a user, two groups, five customer and five AWS managed
// policies (ReadOnlyAccess's document is the catalogue's largest kind).
func BenchmarkGetAccountAuthorizationDetails(b *testing.B) {
	e := benchAccount(b)
	ctx := e.rootCtx()
	in := &iam.GetAccountAuthorizationDetailsInput{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.GetAccountAuthorizationDetails(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

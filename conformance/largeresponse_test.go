package conformance

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestLargeResponsesInARow: answers over 4 KB, many in a row, reach the SDK
// whole. Without emulatortest.LocalClient, smithy-go closing the request
// body while the transport still writes it made the third or so of these
// fail with "use of closed network connection" against a local server.
func TestLargeResponsesInARow(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	for i := range 300 {
		tg.createUser(t, fmt.Sprintf("user-%03d", i))
	}
	for i := range 30 {
		out, err := c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
		if err != nil {
			t.Fatalf("ListUsers call %d: %v", i, err)
		}
		if len(out.Users) != 300 {
			t.Fatalf("ListUsers call %d: %d users, want 300", i, len(out.Users))
		}
	}
}

package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestJourneyJAWSUG is the JAWS-UG hands-on: the account's root user makes
// an IAM user taro and manages his access keys; taro then works with his
// own key until it is switched off.
func TestJourneyJAWSUG(t *testing.T) {
	tg := newTarget(t)
	root := tg.iam()
	taro := aws.String("taro")

	// aws iam create-user --user-name taro
	user := must[*iam.CreateUserOutput](t)(root.CreateUser(ctx, &iam.CreateUserInput{UserName: taro})).User
	tg.allow(t, "taro", "iam:GetUser", "iam:ListUsers")
	if got, want := aws.ToString(user.Arn), "arn:aws:iam::123456789012:user/taro"; got != want {
		t.Fatalf("Arn=%q, want %q", got, want)
	}

	// aws iam create-access-key --user-name taro (twice, then once too often)
	k1 := must[*iam.CreateAccessKeyOutput](t)(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: taro})).AccessKey
	k2 := must[*iam.CreateAccessKeyOutput](t)(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: taro})).AccessKey
	_, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: taro})
	wantAPIError(t, err, "LimitExceeded", 409, keyQuota)
	id1, secret1 := aws.ToString(k1.AccessKeyId), aws.ToString(k1.SecretAccessKey)
	id2, secret2 := aws.ToString(k2.AccessKeyId), aws.ToString(k2.SecretAccessKey)

	// aws iam list-access-keys --user-name taro
	got := tg.keyStatuses(t, "taro")
	if len(got) != 2 || got[id1] != types.StatusTypeActive || got[id2] != types.StatusTypeActive {
		t.Fatalf("keys=%v, want %s and %s Active", got, id1, id2)
	}

	// aws iam update-access-key --status Inactive
	tg.setKeyStatus(t, "taro", id2, types.StatusTypeInactive)
	if got, want := tg.keyStatuses(t, "taro")[id2], types.StatusTypeInactive; got != want {
		t.Fatalf("%s Status=%q, want %q", id2, got, want)
	}

	// aws iam get-access-key-last-used: neither key has signed anything yet.
	for _, id := range []string{id1, id2} {
		out := must[*iam.GetAccessKeyLastUsedOutput](t)(root.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)}))
		if got, want := aws.ToString(out.UserName), "taro"; got != want {
			t.Errorf("UserName=%q, want %q", got, want)
		}
		if l := out.AccessKeyLastUsed; l.LastUsedDate != nil || aws.ToString(l.Region) != "N/A" || aws.ToString(l.ServiceName) != "N/A" {
			t.Errorf("%s last used=%+v, want N/A and no date", id, l)
		}
	}

	// The inactive key is refused.
	_, inactiveSTS := tg.as(id2, secret2, "")
	_, err = inactiveSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)

	// aws iam delete-access-key
	must[*iam.DeleteAccessKeyOutput](t)(root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: taro, AccessKeyId: aws.String(id2)}))
	if got := tg.keyStatuses(t, "taro"); len(got) != 1 || got[id1] != types.StatusTypeActive {
		t.Fatalf("keys after delete=%v, want only %s Active", got, id1)
	}
	_, err = inactiveSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)

	// taro, with his own key: aws sts get-caller-identity; aws iam get-user
	taroIAM, taroSTS := tg.as(id1, secret1, "")
	who := must[*sts.GetCallerIdentityOutput](t)(taroSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), "arn:aws:iam::123456789012:user/taro"; got != want {
		t.Errorf("GetCallerIdentity Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.UserId), aws.ToString(user.UserId); got != want {
		t.Errorf("GetCallerIdentity UserId=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.Account), "123456789012"; got != want {
		t.Errorf("GetCallerIdentity Account=%q, want %q", got, want)
	}
	me := must[*iam.GetUserOutput](t)(taroIAM.GetUser(ctx, &iam.GetUserInput{}))
	if got, want := aws.ToString(me.User.UserName), "taro"; got != want {
		t.Errorf("GetUser UserName=%q, want %q", got, want)
	}

	// The use shows: the last call was IAM's, signed for us-east-1. (Root
	// asks, so the step holds once policies are enforced.)
	last := must[*iam.GetAccessKeyLastUsedOutput](t)(root.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id1)}))
	l := last.AccessKeyLastUsed
	if l.LastUsedDate == nil || l.LastUsedDate.Before(*k1.CreateDate) {
		t.Errorf("LastUsedDate=%v, want a date not before the key's CreateDate %v", l.LastUsedDate, k1.CreateDate)
	}
	if got, want := aws.ToString(l.Region), "us-east-1"; got != want {
		t.Errorf("Region=%q, want %q", got, want)
	}
	if got, want := aws.ToString(l.ServiceName), "iam"; got != want {
		t.Errorf("ServiceName=%q, want %q", got, want)
	}

	// Switched off, taro's key is refused; deleted, it stays refused.
	tg.setKeyStatus(t, "taro", id1, types.StatusTypeInactive)
	_, err = taroIAM.GetUser(ctx, &iam.GetUserInput{})
	wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
	must[*iam.DeleteAccessKeyOutput](t)(root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: taro, AccessKeyId: aws.String(id1)}))
	_, err = taroSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)

	// With no keys and no policies left, taro can go.
	tg.disallow(t, "taro")
	must[*iam.DeleteUserOutput](t)(root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: taro}))
	_, err = root.GetUser(ctx, &iam.GetUserInput{UserName: taro})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("taro"))
}

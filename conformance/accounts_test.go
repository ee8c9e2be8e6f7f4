package conformance

import (
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

// otherAccount is the second account the tests of several accounts serve.
const otherAccount = "210987654321"

// accountTargets serves account (the default) and otherAccount from one
// server and gives a target signing as each one's root.
func accountTargets(t *testing.T) (a, b *target) {
	t.Helper()
	if os.Getenv("IAMLOCAL_ENDPOINT") != "" {
		t.Skip("needs a server serving two accounts: runs in-process only")
	}
	t.Parallel()
	srv := emulatortest.StartAccounts(t, account, otherAccount)
	return &target{URL: srv.URL, Config: srv.Config}, &target{URL: srv.URL, Config: srv.RootConfig(otherAccount)}
}

func callerIdentity(t testing.TB, c *sts.Client) *sts.GetCallerIdentityOutput {
	t.Helper()
	return must[*sts.GetCallerIdentityOutput](t)(c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
}

func keyAccount(t testing.TB, c *sts.Client, id string) string {
	t.Helper()
	return aws.ToString(must[*sts.GetAccessKeyInfoOutput](t)(c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(id)})).Account)
}

func TestAccountsRootOfEach(t *testing.T) {
	a, b := accountTargets(t)
	for _, c := range []struct {
		tg      *target
		account string
	}{{a, account}, {b, otherAccount}} {
		who := callerIdentity(t, c.tg.sts())
		if got, want := aws.ToString(who.Account)+" "+aws.ToString(who.Arn)+" "+aws.ToString(who.UserId), c.account+" arn:aws:iam::"+c.account+":root "+c.account; got != want {
			t.Errorf("GetCallerIdentity=%q, want %q", got, want)
		}
	}
	t.Run("first account's id signs as its root too", func(t *testing.T) {
		_, s := a.as(account, "test", "")
		if got, want := aws.ToString(callerIdentity(t, s).Arn), "arn:aws:iam::"+account+":root"; got != want {
			t.Errorf("Arn=%q, want %q", got, want)
		}
	})
	t.Run("InvalidClientTokenId for an account not served", func(t *testing.T) {
		_, s := a.as("999999999999", "test", "")
		_, err := s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, "The security token included in the request is invalid*")
	})
	t.Run("SignatureDoesNotMatch for a wrong root secret", func(t *testing.T) {
		_, s := a.as(otherAccount, "wrong", "")
		_, err := s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	})
}

func TestAccountsKeepUsersApart(t *testing.T) {
	a, b := accountTargets(t)
	inA, inB := a.createUser(t, "taro"), b.createUser(t, "taro")
	if got, want := aws.ToString(inA.User.Arn), "arn:aws:iam::"+account+":user/taro"; got != want {
		t.Errorf("A's Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(inB.User.Arn), "arn:aws:iam::"+otherAccount+":user/taro"; got != want {
		t.Errorf("B's Arn=%q, want %q", got, want)
	}
	if aws.ToString(inA.User.UserId) == aws.ToString(inB.User.UserId) {
		t.Errorf("both users have UserId %s, want one each", aws.ToString(inA.User.UserId))
	}
	a.createUser(t, "jiro")
	for _, c := range []struct {
		tg    *target
		users int32
	}{{a, 2}, {b, 1}} {
		summary := must[*iam.GetAccountSummaryOutput](t)(c.tg.iam().GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
		if got := summary["Users"]; got != c.users {
			t.Errorf("GetAccountSummary Users=%d, want %d", got, c.users)
		}
	}
	must[*iam.DeleteUserOutput](t)(b.iam().DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")}))
	if got := must[*iam.GetUserOutput](t)(a.iam().GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")})).User; aws.ToString(got.UserId) != aws.ToString(inA.User.UserId) {
		t.Errorf("A's taro after B's was deleted: UserId %s, want %s", aws.ToString(got.UserId), aws.ToString(inA.User.UserId))
	}
	t.Run("NoSuchEntity in the other account", func(t *testing.T) {
		_, err := b.iam().GetUser(ctx, &iam.GetUserInput{UserName: aws.String("jiro")})
		wantAPIError(t, err, "NoSuchEntity", 404, "The user with name jiro cannot be found.")
	})
}

func TestAccountsKeysBelongToTheirAccount(t *testing.T) {
	a, b := accountTargets(t)
	a.createUser(t, "taro")
	b.createUser(t, "taro")
	b.createUser(t, "hanako")
	a.allow(t, "taro", "iam:*")
	b.allow(t, "taro", "iam:*")
	idA, secretA := a.createKey(t, "taro")
	a.createKey(t, "taro") // A's taro is at the quota of 2 keys; B's is not
	idB, secretB := b.createKey(t, "taro")
	b.createKey(t, "taro")
	iamA, stsA := a.asKey(idA, secretA)
	_, stsB := a.asKey(idB, secretB)
	if got, want := aws.ToString(callerIdentity(t, stsA).Arn), "arn:aws:iam::"+account+":user/taro"; got != want {
		t.Errorf("A's key: Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(callerIdentity(t, stsB).Account), otherAccount; got != want {
		t.Errorf("B's key: Account=%q, want %q", got, want)
	}
	for id, want := range map[string]string{idA: account, idB: otherAccount} {
		if got := keyAccount(t, stsA, id); got != want {
			t.Errorf("GetAccessKeyInfo %s=%q, want %q", id, got, want)
		}
	}
	t.Run("NoSuchEntity for the other account's user", func(t *testing.T) {
		_, err := iamA.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("hanako")})
		wantAPIError(t, err, "NoSuchEntity", 404, "The user with name hanako cannot be found.")
	})
	t.Run("NoSuchEntity for the other account's key", func(t *testing.T) {
		_, err := b.iam().UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("taro"), AccessKeyId: aws.String(idA), Status: "Inactive"})
		wantAPIError(t, err, "NoSuchEntity", 404, "The Access Key with id "+idA+" cannot be found.")
	})
	t.Run("LimitExceeded per account", func(t *testing.T) {
		_, err := a.iam().CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2")
	})
}

// crossAccountRole makes, in b, role name trusting principal (an ARN of
// a's) with a policy that lets its sessions list users, and returns its ARN.
func crossAccountRole(t testing.TB, b *target, name, principal string) string {
	t.Helper()
	arn := b.createTrustedRole(t, name, trustPrincipal(principal), 0)
	b.putRolePolicy(t, name, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)
	return arn
}

// allowAssume lets user of tg assume roleARN and nothing else.
func allowAssume(t testing.TB, tg *target, user, roleARN string) {
	t.Helper()
	must[*iam.PutUserPolicyOutput](t)(tg.iam().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("assume"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + roleARN + `"}]}`)}))
}

func TestAccountsCrossAccountAssumeRole(t *testing.T) {
	a, b := accountTargets(t)
	b.createUser(t, "hanako")
	roleARN := crossAccountRole(t, b, "shared", "arn:aws:iam::"+account+":root")
	_, taro := a.userClients(t, "taro")
	allowAssume(t, a, "taro", roleARN)
	out := must[*sts.AssumeRoleOutput](t)(taro.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ci")}))
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+otherAccount+":assumed-role/shared/ci"; got != want {
		t.Errorf("AssumedRoleUser.Arn=%q, want %q", got, want)
	}
	sessionIAM, sessionSTS := a.withSession(out.Credentials)
	if got, want := aws.ToString(callerIdentity(t, sessionSTS).Account), otherAccount; got != want {
		t.Errorf("session's GetCallerIdentity Account=%q, want %q", got, want)
	}
	if got, want := keyAccount(t, sessionSTS, aws.ToString(out.Credentials.AccessKeyId)), otherAccount; got != want {
		t.Errorf("GetAccessKeyInfo of the session's key=%q, want %q", got, want)
	}
	users := must[*iam.ListUsersOutput](t)(sessionIAM.ListUsers(ctx, &iam.ListUsersInput{})).Users
	if len(users) != 1 || aws.ToString(users[0].Arn) != "arn:aws:iam::"+otherAccount+":user/hanako" {
		t.Errorf("the session lists %d users, want B's hanako alone", len(users))
	}
}

func TestAccountsCrossAccountAssumeRoleDenied(t *testing.T) {
	a, b := accountTargets(t)
	a.createUser(t, "jiro")
	jiroARN := "arn:aws:iam::" + account + ":user/jiro"
	toAccount := crossAccountRole(t, b, "to-account", "arn:aws:iam::"+account+":root")
	toJiro := crossAccountRole(t, b, "to-jiro", jiroARN)
	closed := crossAccountRole(t, b, "closed", "arn:aws:iam::"+otherAccount+":root")
	_, jiro := a.asKey(a.createKey(t, "jiro"))
	assume := func(roleARN string) error {
		_, err := jiro.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ci")})
		return err
	}
	t.Run("AccessDenied when only the trust policy names the account", func(t *testing.T) {
		wantAPIError(t, assume(toAccount), "AccessDenied", 403, assumeDenied(jiroARN, toAccount))
	})
	t.Run("AccessDenied when only the trust policy names the user", func(t *testing.T) {
		wantAPIError(t, assume(toJiro), "AccessDenied", 403, assumeDenied(jiroARN, toJiro))
	})
	a.allow(t, "jiro", "sts:AssumeRole")
	t.Run("AccessDenied when only the caller's policy allows", func(t *testing.T) {
		wantAPIError(t, assume(closed), "AccessDenied", 403, assumeDenied(jiroARN, closed))
	})
	t.Run("AccessDenied for an account not served", func(t *testing.T) {
		ghost := "arn:aws:iam::999999999999:role/shared"
		wantAPIError(t, assume(ghost), "AccessDenied", 403, assumeDenied(jiroARN, ghost))
	})
	t.Run("both sides allow", func(t *testing.T) {
		if err := assume(toJiro); err != nil {
			t.Fatalf("AssumeRole to-jiro: %v", err)
		}
	})
}

// In its own account, a trust policy naming the caller itself is enough.
func TestAccountsSameAccountTrustNamingCaller(t *testing.T) {
	a, _ := accountTargets(t)
	a.createUser(t, "jiro")
	roleARN := a.createTrustedRole(t, "to-jiro", trustPrincipal("arn:aws:iam::"+account+":user/jiro"), 0)
	_, jiro := a.asKey(a.createKey(t, "jiro"))
	if _, err := jiro.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ci")}); err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
}

func TestAccountsTrustPrincipalsOfServedAccounts(t *testing.T) {
	a, b := accountTargets(t)
	b.createUser(t, "hanako")
	for _, principal := range []string{"arn:aws:iam::" + otherAccount + ":user/hanako", "arn:aws:iam::999999999999:user/anyone"} {
		if _, err := a.iam().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r" + principal[13:25]), AssumeRolePolicyDocument: aws.String(trustPrincipal(principal))}); err != nil {
			t.Errorf("CreateRole trusting %s: %v", principal, err)
		}
	}
	t.Run("MalformedPolicyDocument for a missing user of a served account", func(t *testing.T) {
		ghost := "arn:aws:iam::" + otherAccount + ":user/ghost"
		_, err := a.iam().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ghostly"), AssumeRolePolicyDocument: aws.String(trustPrincipal(ghost))})
		wantAPIError(t, err, "MalformedPolicyDocument", 400, `Invalid principal in policy: "AWS":"`+ghost+`"`)
	})
}

// The admin endpoint's codes find a device of another account by its
// serial number, or by its name with ?account=.
func TestAccountsDeviceCodes(t *testing.T) {
	a, b := accountTargets(t)
	serial, _ := b.createDevice(t, "hanako-mfa")
	for _, c := range []struct {
		query  string
		status int
	}{
		{"serial=" + url.QueryEscape(serial), http.StatusOK},
		{"serial=hanako-mfa&account=" + otherAccount, http.StatusOK},
		{"serial=hanako-mfa", http.StatusNotFound},
	} {
		resp, err := http.Get(a.URL + "/_iamlocal/totp?" + c.query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("GET /_iamlocal/totp?%s: status %d, want %d", c.query, resp.StatusCode, c.status)
		}
	}
}

// An account alias is unique across accounts.
func TestAccountsAliasUnique(t *testing.T) {
	a, b := accountTargets(t)
	must[*iam.CreateAccountAliasOutput](t)(b.iam().CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("handson")}))
	_, err := a.iam().CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("handson")})
	wantAPIError(t, err, "EntityAlreadyExists", 409, "The account alias handson already exists.")
}

package wire

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// sdkOperations lists every operation of the SDK clients with its input and
// output types, read off the clients' methods.
func sdkOperations(t testing.TB) map[string][2]reflect.Type {
	ops := map[string][2]reflect.Type{}
	for _, client := range []any{&iam.Client{}, &sts.Client{}} {
		ct := reflect.TypeOf(client)
		for i := range ct.NumMethod() {
			m := ct.Method(i).Type
			if m.NumIn() != 4 || m.NumOut() != 2 || !strings.HasSuffix(m.In(2).Elem().Name(), "Input") {
				continue
			}
			ops[ct.Method(i).Name] = [2]reflect.Type{m.In(2).Elem(), m.Out(0).Elem()}
		}
	}
	if len(ops) < 180 {
		t.Fatalf("found only %d SDK operations", len(ops))
	}
	return ops
}

// TestBindEveryOperation: the generated model and the SDK's types agree on
// every operation of both services, so any action can be registered.
func TestBindEveryOperation(t *testing.T) {
	ops := sdkOperations(t)
	for _, svc := range []*Service{iamService, stsService} {
		for i := range svc.Operations {
			op := &svc.Operations[i]
			types, ok := ops[op.Name]
			if !ok {
				t.Errorf("%s: no SDK method", op.Name)
				continue
			}
			if _, err := bind(op, types[0], types[1]); err != nil {
				t.Errorf("%s: %v", op.Name, err)
			}
		}
	}
}

// capture returns SDK clients whose requests go to fn instead of a network.
func capture(fn func(*http.Request) (*http.Response, error)) (*iam.Client, *sts.Client) {
	cfg := aws.Config{
		Region: "us-east-1",
		Credentials: aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}, nil
		})),
		HTTPClient: smithyhttp.ClientDoFunc(fn),
		Retryer:    func() aws.Retryer { return aws.NopRetryer{} },
	}
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

func bindingFor(t testing.TB, action string) *binding {
	t.Helper()
	op := LookupOperation(action)
	types := sdkOperations(t)[action]
	b, err := bind(op, types[0], types[1])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeSDKRequests: what the SDK serializes, the decoder reads back
// into an equal input struct, for lists of structures, enums, numbers,
// booleans and nested members.
func TestDecodeSDKRequests(t *testing.T) {
	var form url.Values
	iamc, stsc := capture(func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		form, _ = url.ParseQuery(string(body))
		return &http.Response{StatusCode: 500, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}}, nil
	})
	ctx := context.Background()
	cases := []struct {
		action string
		in     any
		send   func() error
	}{}
	add := func(action string, in any, send func() error) {
		cases = append(cases, struct {
			action string
			in     any
			send   func() error
		}{action, in, send})
	}
	createUser := &iam.CreateUserInput{UserName: aws.String("taro"), Path: aws.String("/dev/"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("a+b=c d/@:日本")}, {Key: aws.String("empty"), Value: aws.String("")}}}
	add("CreateUser", createUser, func() error { _, err := iamc.CreateUser(ctx, createUser); return err })
	update := &iam.UpdateAccessKeyInput{AccessKeyId: aws.String("AKIAEXAMPLEEXAMPLE12"), Status: iamtypes.StatusTypeInactive, UserName: aws.String("taro")}
	add("UpdateAccessKey", update, func() error { _, err := iamc.UpdateAccessKey(ctx, update); return err })
	list := &iam.ListUsersInput{MaxItems: aws.Int32(7), Marker: aws.String("bWFya2Vy"), PathPrefix: aws.String("/")}
	add("ListUsers", list, func() error { _, err := iamc.ListUsers(ctx, list); return err })
	untag := &iam.UntagUserInput{UserName: aws.String("taro"), TagKeys: []string{"a", "b", "c"}}
	add("UntagUser", untag, func() error { _, err := iamc.UntagUser(ctx, untag); return err })
	policy := &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12), RequireSymbols: true, HardExpiry: aws.Bool(false)}
	add("UpdateAccountPasswordPolicy", policy, func() error { _, err := iamc.UpdateAccountPasswordPolicy(ctx, policy); return err })
	assume := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("sess"),
		DurationSeconds: aws.Int32(900), PolicyArns: []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
		Tags: []ststypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}, TransitiveTagKeys: []string{"k"},
		ProvidedContexts: []ststypes.ProvidedContext{{ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String("abcd")}}}
	add("AssumeRole", assume, func() error { _, err := stsc.AssumeRole(ctx, assume); return err })
	for _, c := range cases {
		t.Run(c.action, func(t *testing.T) {
			form = nil
			c.send()
			if form == nil {
				t.Fatal("the SDK sent nothing")
			}
			got := reflect.New(reflect.TypeOf(c.in).Elem())
			if err := bindingFor(t, c.action).decode(form, got.Interface()); err != nil {
				t.Fatalf("decode %v: %v", form, err)
			}
			if !reflect.DeepEqual(got.Interface(), c.in) {
				t.Errorf("decoded %+v\nwant      %+v", got.Elem().Interface(), reflect.ValueOf(c.in).Elem().Interface())
			}
		})
	}
}

func TestDecodeValidation(t *testing.T) {
	long := strings.Repeat("a", 65)
	for _, c := range []struct {
		action, form, want string
	}{
		{"CreateUser", "UserName=" + long,
			"1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"CreateUser", "",
			"1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{"CreateUser", "UserName=a:b",
			`1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"CreateUser", "UserName=",
			`2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"CreateUser", "UserName=ok&Path=nope",
			"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"CreateUser", "UserName=ok&Path=/" + strings.Repeat("p", 512) + "/",
			"1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"},
		{"CreateUser", "UserName=ok&Tags.member.1.Key=k&Tags.member.1.Value=" + strings.Repeat("v", 257),
			"1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"CreateUser", "UserName=ok&Tags.member.1.Value=v",
			"1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null"},
		{"CreateUser", "UserName=ok&Tags.member.1.Colour=v",
			"2 validation errors detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null; Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null"},
		{"CreateUser", "UserName=ok" + manyTags(51, "k", "v"),
			"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"UpdateAccessKey", "AccessKeyId=AKIAEXAMPLEEXAMPLE12&Status=Paused",
			"1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set"},
		{"ListUsers", "MaxItems=0",
			"1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"UpdateAccountPasswordPolicy", "MinimumPasswordLength=129&PasswordReusePrevention=25&MaxPasswordAge=1096",
			"3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095"},
		{"GetSessionToken", "DurationSeconds=600",
			"1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"AssumeRole", "RoleArn=arn:aws:iam::123456789012:role/r&RoleSessionName=Session1:2",
			`1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"ListUsers", "MaxItems=many", "Value 'many' at 'maxItems' could not be parsed."},
	} {
		t.Run(c.action+"/"+c.form, func(t *testing.T) {
			form, err := url.ParseQuery(c.form)
			if err != nil {
				t.Fatal(err)
			}
			b := bindingFor(t, c.action)
			in := reflect.New(b.in.typ).Interface()
			werr := b.decode(form, in)
			if werr == nil {
				t.Fatalf("decoded without error: %+v", in)
			}
			if werr.Message != c.want || werr.Status != http.StatusBadRequest || !werr.Sender {
				t.Errorf("got %d %s %q\nwant 400 %q", werr.Status, werr.Code, werr.Message, c.want)
			}
		})
	}
}

// manyTags is n tags' keys (Tags.member.N.Key=keyN) and, unless value is
// empty, values, as a form suffix.
func manyTags(n int, key, value string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		seq := strconv.Itoa(i)
		b.WriteString("&Tags.member." + seq + ".Key=" + key + seq)
		if value != "" {
			b.WriteString("&Tags.member." + seq + ".Value=" + value)
		}
	}
	return b.String()
}

// respondWith returns clients that receive body as every response.
func respondWith(body []byte) (*iam.Client, *sts.Client) {
	return capture(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/xml"}}, Body: io.NopCloser(bytes.NewReader(body))}, nil
	})
}

// TestEncodeSDKRoundTrip: what the encoder writes, the SDK's own
// deserializers read back into an equal output.
func TestEncodeSDKRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	ctx := context.Background()
	cases := []struct {
		action string
		out    any
		call   func(*iam.Client, *sts.Client) (any, error)
	}{
		{"CreateUser", &iam.CreateUserOutput{User: &iamtypes.User{Arn: aws.String("arn:aws:iam::123456789012:user/a<b>&c"), CreateDate: &at,
			Path: aws.String("/"), UserId: aws.String("AIDAEXAMPLE"), UserName: aws.String("a<b>&c"),
			Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("\"quoted\" \r\n tab\t")}}}},
			func(i *iam.Client, _ *sts.Client) (any, error) {
				return i.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
			}},
		{"ListAccessKeys", &iam.ListAccessKeysOutput{AccessKeyMetadata: []iamtypes.AccessKeyMetadata{}, IsTruncated: false},
			func(i *iam.Client, _ *sts.Client) (any, error) {
				return i.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
			}},
		{"ListUsers", &iam.ListUsersOutput{IsTruncated: true, Marker: aws.String("bmV4dA"), Users: []iamtypes.User{
			{Arn: aws.String("arn:1"), CreateDate: &at, Path: aws.String("/"), UserId: aws.String("AIDA1"), UserName: aws.String("u1")},
			{Arn: aws.String("arn:2"), CreateDate: &at, Path: aws.String("/p/"), UserId: aws.String("AIDA2"), UserName: aws.String("u2")}}},
			func(i *iam.Client, _ *sts.Client) (any, error) { return i.ListUsers(ctx, &iam.ListUsersInput{}) }},
		{"GetAccountSummary", &iam.GetAccountSummaryOutput{SummaryMap: map[string]int32{"Users": 3, "AccessKeysPerUserQuota": 2}},
			func(i *iam.Client, _ *sts.Client) (any, error) {
				return i.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
			}},
		{"CreateVirtualMFADevice", &iam.CreateVirtualMFADeviceOutput{VirtualMFADevice: &iamtypes.VirtualMFADevice{
			SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/d"), Base32StringSeed: []byte("JBSWY3DPEHPK3PXP"), QRCodePNG: []byte{0x89, 'P', 'N', 'G', 0, 0xff}}},
			func(i *iam.Client, _ *sts.Client) (any, error) {
				return i.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("d")})
			}},
		{"GetAccountPasswordPolicy", &iam.GetAccountPasswordPolicyOutput{PasswordPolicy: &iamtypes.PasswordPolicy{MinimumPasswordLength: aws.Int32(8), RequireNumbers: true}},
			func(i *iam.Client, _ *sts.Client) (any, error) {
				return i.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
			}},
		{"DeleteUser", &iam.DeleteUserOutput{},
			func(i *iam.Client, _ *sts.Client) (any, error) {
				return i.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("x")})
			}},
		{"GetCallerIdentity", &sts.GetCallerIdentityOutput{Account: aws.String("123456789012"), Arn: aws.String("arn:aws:iam::123456789012:root"), UserId: aws.String("123456789012")},
			func(_ *iam.Client, s *sts.Client) (any, error) {
				return s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			}},
		{"AssumeRole", &sts.AssumeRoleOutput{AssumedRoleUser: &ststypes.AssumedRoleUser{Arn: aws.String("arn"), AssumedRoleId: aws.String("AROA:s")},
			Credentials:      &ststypes.Credentials{AccessKeyId: aws.String("ASIA"), SecretAccessKey: aws.String("s"), SessionToken: aws.String("t"), Expiration: &at},
			PackedPolicySize: aws.Int32(6)},
			func(_ *iam.Client, s *sts.Client) (any, error) {
				return s.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("s")})
			}},
	}
	for _, c := range cases {
		t.Run(c.action, func(t *testing.T) {
			body := bindingFor(t, c.action).appendResponse(nil, c.out, "req-1")
			got, err := c.call(respondWith(body))
			if err != nil {
				t.Fatalf("SDK could not read %s: %v", body, err)
			}
			g := reflect.ValueOf(got).Elem()
			g.FieldByName("ResultMetadata").SetZero()
			if !reflect.DeepEqual(g.Interface(), reflect.ValueOf(c.out).Elem().Interface()) {
				t.Errorf("SDK read %+v\nfrom %s\nwant %+v", g.Interface(), body, c.out)
			}
		})
	}
}

func TestEncodeShape(t *testing.T) {
	b := bindingFor(t, "ListAccessKeys")
	got := string(b.appendResponse(nil, &iam.ListAccessKeysOutput{}, "id-1"))
	want := `<ListAccessKeysResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListAccessKeysResult><AccessKeyMetadata/><IsTruncated>false</IsTruncated></ListAccessKeysResult><ResponseMetadata><RequestId>id-1</RequestId></ResponseMetadata></ListAccessKeysResponse>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = string(bindingFor(t, "DeleteUser").appendResponse(nil, &iam.DeleteUserOutput{}, "id-2"))
	want = `<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>id-2</RequestId></ResponseMetadata></DeleteUserResponse>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestErrorResponse(t *testing.T) {
	got := string(appendErrorResponse(nil, stsService.Namespace, invalidClientToken(stsService.Namespace), "16fc956c"))
	want := `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid</Message></Error><RequestId>16fc956c</RequestId></ErrorResponse>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = string(appendErrorResponse(nil, namespaceIAM, &Error{Code: "ReportNotPresent", Status: 410, Sender: true}, "r"))
	if strings.Contains(got, "<Message>") {
		t.Errorf("an error without text has a Message element: %s", got)
	}
	if e := Errorf("NoSuchEntity", "x"); e.Status != 404 || !e.Sender {
		t.Errorf("NoSuchEntity from the model: %d sender=%v", e.Status, e.Sender)
	}
	if e := Errorf("InvalidAuthenticationCode", "x"); e.Status != 403 {
		t.Errorf("InvalidAuthenticationCode status %d, want 403", e.Status)
	}
}

func TestAppendText(t *testing.T) {
	got := string(appendText(nil, "a<b>&\"c\r\n\x01\xff日本"))
	want := "a&lt;b&gt;&amp;&quot;c&#xD;\n\uFFFD\uFFFD日本"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzDecodeForm decodes arbitrary form bodies into several actions' inputs:
// nothing may panic, and every refusal is a 400 client error.
func FuzzDecodeForm(f *testing.F) {
	for _, seed := range []string{
		"Action=CreateUser&Version=2010-05-08&UserName=taro&Path=%2Fdev%2F&Tags.member.1.Key=team&Tags.member.1.Value=x",
		"Action=ListUsers&Version=2010-05-08&MaxItems=10&Marker=abc&PathPrefix=%2F",
		"Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAEXAMPLE&Status=Inactive&UserName=taro",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn&RoleSessionName=s&PolicyArns.member.1.arn=x&Tags.member.2.Key=k",
		"Action=UntagUser&TagKeys.member.1=a&TagKeys.member.3=c&TagKeys=",
		"Tags.member.1.Key.member.1=x&Tags.member.0=&Tags.member.-1.Key=&MaxItems=99999999999999999999",
		"Tags.entry.1.key=a&SummaryMap.entry.1.value=2&%ff=%fe",
	} {
		f.Add(seed)
	}
	bindings := []*binding{}
	for _, a := range []string{"CreateUser", "ListUsers", "UpdateAccessKey", "UntagUser", "AssumeRole", "UpdateAccountPasswordPolicy", "CreateVirtualMFADevice", "PutUserPolicy"} {
		bindings = append(bindings, bindingFor(f, a))
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for _, b := range bindings {
			in := reflect.New(b.in.typ).Interface()
			if werr := b.decode(form, in); werr != nil && (werr.Status != http.StatusBadRequest || !werr.Sender || werr.Message == "") {
				t.Fatalf("%s: %+v", b.op.Name, werr)
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	form, _ := url.ParseQuery("Action=ListAccessKeys&Version=2010-05-08&UserName=bench-reader&MaxItems=100")
	bd := bindingFor(b, "ListAccessKeys")
	b.ReportAllocs()
	for b.Loop() {
		var in iam.ListAccessKeysInput
		if err := bd.decode(form, &in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	at := time.Now()
	out := &iam.ListAccessKeysOutput{AccessKeyMetadata: []iamtypes.AccessKeyMetadata{
		{AccessKeyId: aws.String("AKIAEXAMPLEEXAMPLE12"), CreateDate: &at, Status: iamtypes.StatusTypeActive, UserName: aws.String("bench-reader")},
		{AccessKeyId: aws.String("AKIAEXAMPLEEXAMPLE34"), CreateDate: &at, Status: iamtypes.StatusTypeInactive, UserName: aws.String("bench-reader")},
	}}
	bd := bindingFor(b, "ListAccessKeys")
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = bd.appendResponse(buf[:0], out, "0b4f5d8e-6d43-4f7a-9b52-1f3f8f0c2a11")
	}
}

// TestModelPatternsCompile: every model pattern has an RE2 form, compiled
// lazily in service, so it is checked here.
func TestModelPatternsCompile(t *testing.T) {
	for _, svc := range []*Service{iamService, stsService} {
		for _, s := range svc.Shapes {
			if s.re != "" {
				if _, err := regexp.Compile(s.re); err != nil {
					t.Errorf("%s %s: %v", svc.Name, s.Name, err)
				}
			}
		}
	}
}

// TestErrorSDKRoundTrip: the SDK reads our error document into its typed
// exception with our code and message.
func TestErrorSDKRoundTrip(t *testing.T) {
	e := Errorf("NoSuchEntity", "The user with name taro cannot be found.")
	body := appendErrorResponse(nil, namespaceIAM, e, "req-1")
	c, _ := capture(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: e.Status, Header: http.Header{"Content-Type": {"text/xml"}}, Body: io.NopCloser(bytes.NewReader(body))}, nil
	})
	_, err := c.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("taro")})
	var nse *iamtypes.NoSuchEntityException
	if !errors.As(err, &nse) || nse.ErrorMessage() != e.Message || nse.ErrorCode() != "NoSuchEntity" {
		t.Fatalf("SDK error %v, want NoSuchEntityException %q", err, e.Message)
	}
}

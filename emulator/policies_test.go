package emulator

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const benchPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

// benchAccount is an account with a user in two groups and ten managed
// policies attached to each of the three, half of them AWS managed.
func benchAccount(b *testing.B) *Emulator {
	e := newTest(b)
	ctx := e.rootCtx()
	must := func(_ any, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))
	aws10 := []string{"ReadOnlyAccess", "AdministratorAccess", "IAMUserChangePassword", "PowerUserAccess", "AmazonS3FullAccess"}
	for _, g := range []string{"g1", "g2"} {
		must(e.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(g)}))
		must(e.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(g), UserName: aws.String("u")}))
	}
	for i := range 5 {
		p, err := e.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprint("p", i)), PolicyDocument: aws.String(benchPolicy)})
		must(p, err)
		for _, arn := range []string{*p.Policy.Arn, "arn:aws:iam::aws:policy/" + aws10[i]} {
			must(e.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arn)}))
			must(e.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("g1"), PolicyArn: aws.String(arn)}))
			must(e.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("g2"), PolicyArn: aws.String(arn)}))
		}
	}
	return e
}

// BenchmarkListPoliciesAWS is one page of 100 AWS managed policies with
// their per-account counts.
func BenchmarkListPoliciesAWS(b *testing.B) {
	e := benchAccount(b)
	ctx := e.rootCtx()
	in := &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.ListPolicies(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetPolicyAWS(b *testing.B) {
	e := benchAccount(b)
	ctx := e.rootCtx()
	in := &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.GetPolicy(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListAttachedUserPolicies(b *testing.B) {
	e := benchAccount(b)
	ctx := e.rootCtx()
	in := &iam.ListAttachedUserPoliciesInput{UserName: aws.String("u")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.ListAttachedUserPolicies(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

package main

import (
	"context"
	"fmt"
	"strings"
)

// assumeTrust trusts the account, so the caller's own policy decides.
const assumeTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`

// benchReadPolicy allows the reads of the session-read scenario on the
// bench users, for a user and a role alike; sts:AssumeRole for the user.
const benchReadPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::*:user/bench-*"},{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/bench-*"}]}`

// assumer makes user name with a key and the bench policy, and role name
// trusting the account with the same policy; cleanup removes both.
func assumer(ctx context.Context, c *client, name string) (user creds, roleARN string, cleanup func(context.Context), err error) {
	root := c.root
	steps := [][]string{
		{"CreateUser", "UserName", name},
		{"PutUserPolicy", "UserName", name, "PolicyName", "bench", "PolicyDocument", benchReadPolicy},
		{"CreateRole", "RoleName", name, "AssumeRolePolicyDocument", assumeTrust},
		{"PutRolePolicy", "RoleName", name, "PolicyName", "bench", "PolicyDocument", benchReadPolicy},
	}
	for _, s := range steps {
		if _, err := c.must(ctx, root, "iam", s[0], s[1:]...); err != nil && !strings.Contains(err.Error(), "EntityAlreadyExists") {
			return creds{}, "", nil, err
		}
	}
	body, err := c.must(ctx, root, "iam", "CreateAccessKey", "UserName", name)
	if err != nil {
		return creds{}, "", nil, err
	}
	user = creds{element(body, "AccessKeyId"), element(body, "SecretAccessKey"), ""}
	cleanup = func(ctx context.Context) {
		c.call(ctx, root, "iam", "DeleteAccessKey", "UserName", name, "AccessKeyId", user.id)
		c.call(ctx, root, "iam", "DeleteUserPolicy", "UserName", name, "PolicyName", "bench")
		c.call(ctx, root, "iam", "DeleteUser", "UserName", name)
		c.call(ctx, root, "iam", "DeleteRolePolicy", "RoleName", name, "PolicyName", "bench")
		c.call(ctx, root, "iam", "DeleteRole", "RoleName", name)
	}
	return user, "arn:aws:iam::123456789012:role/" + name, cleanup, nil
}

// assumeRoleWorker assumes its role again and again: each call stores a
// session and the role's last use (a write with fsync).
func assumeRoleWorker(ctx context.Context, c *client, i int) (worker, error) {
	user, role, cleanup, err := assumer(ctx, c, fmt.Sprintf("bench-ar-%d", i))
	if err != nil {
		return worker{}, err
	}
	session := fmt.Sprintf("bench-%d", i)
	return worker{ops: []op{func(ctx context.Context) (int, string, error) {
		return c.call(ctx, user, "sts", "AssumeRole", "RoleArn", role, "RoleSessionName", session)
	}}, cleanup: cleanup}, nil
}

// sessionReadWorker reads as in read (GetCallerIdentity, GetUser,
// ListAccessKeys), signed with the user's long-term key (temporary false)
// or with the credentials of a session of its role (temporary true), with
// the same policy either way: session-read runs both in turn.
func sessionReadWorker(ctx context.Context, c *client, i int, temporary bool) (worker, error) {
	name := fmt.Sprintf("bench-sr-%d", i)
	k, role, cleanup, err := assumer(ctx, c, name)
	if err != nil {
		return worker{}, err
	}
	if temporary {
		body, err := c.must(ctx, k, "sts", "AssumeRole", "RoleArn", role, "RoleSessionName", name)
		if err != nil {
			cleanup(ctx)
			return worker{}, err
		}
		k = creds{element(body, "AccessKeyId"), element(body, "SecretAccessKey"), element(body, "SessionToken")}
	}
	return worker{ops: []op{
		func(ctx context.Context) (int, string, error) { return c.call(ctx, k, "sts", "GetCallerIdentity") },
		func(ctx context.Context) (int, string, error) {
			return c.call(ctx, k, "iam", "GetUser", "UserName", name)
		},
		func(ctx context.Context) (int, string, error) {
			return c.call(ctx, k, "iam", "ListAccessKeys", "UserName", name)
		},
	}, cleanup: cleanup}, nil
}

package emulatortest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// sessionName is the RoleSessionName of the sessions AssumeRole opens.
const sessionName = "emulatortest"

// NewUser creates the IAM user name with policies and an access key, as
// root, and returns a config that signs with that key. Each policy is a
// managed policy's ARN (it starts with "arn:"), which is attached, or a
// JSON document, which becomes the inline policy inline-N (N counts from
// 1 in the order given).
func (s *Server) NewUser(name string, policies ...string) (aws.Config, error) {
	ctx, c := context.Background(), iam.NewFromConfig(s.Config)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		return aws.Config{}, fmt.Errorf("emulatortest: create user %s: %w", name, err)
	}
	if err := addPolicies(ctx, c, false, name, policies); err != nil {
		return aws.Config{}, fmt.Errorf("emulatortest: user %s, %w", name, err)
	}
	return s.UserConfig(name)
}

// NewRole creates the IAM role name, which trust allows to be assumed,
// with policies (as NewUser takes them), as root, and returns its ARN.
func (s *Server) NewRole(name, trust string, policies ...string) (string, error) {
	ctx, c := context.Background(), iam.NewFromConfig(s.Config)
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		return "", fmt.Errorf("emulatortest: create role %s: %w", name, err)
	}
	if err := addPolicies(ctx, c, true, name, policies); err != nil {
		return "", fmt.Errorf("emulatortest: role %s, %w", name, err)
	}
	return *out.Role.Arn, nil
}

// addPolicies gives the user or role name policies, as NewUser takes
// them.
func addPolicies(ctx context.Context, c *iam.Client, role bool, name string, policies []string) error {
	for i, p := range policies {
		inline := aws.String(fmt.Sprintf("inline-%d", i+1))
		var err error
		switch managed := strings.HasPrefix(p, "arn:"); {
		case role && managed:
			_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(p)})
		case role:
			_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: inline, PolicyDocument: aws.String(p)})
		case managed:
			_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(p)})
		default:
			_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: inline, PolicyDocument: aws.String(p)})
		}
		if err != nil {
			return fmt.Errorf("policy %d: %w", i+1, err)
		}
	}
	return nil
}

// UserConfig creates an access key for the existing user name, as root,
// and returns a config that signs with it. A user has at most two keys,
// as on AWS: call it once per user and keep the config.
func (s *Server) UserConfig(name string) (aws.Config, error) {
	out, err := iam.NewFromConfig(s.Config).CreateAccessKey(context.Background(), &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		return aws.Config{}, fmt.Errorf("emulatortest: access key for %s: %w", name, err)
	}
	return Config(s.URL, *out.AccessKey.AccessKeyId, *out.AccessKey.SecretAccessKey, ""), nil
}

// EnableMFA creates a virtual MFA device named after the existing user
// name and enables it for that user with the device's codes, as root, and
// returns its serial number.
func (s *Server) EnableMFA(name string) (string, error) {
	ctx, c := context.Background(), iam.NewFromConfig(s.Config)
	dev, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("emulatortest: MFA device for %s: %w", name, err)
	}
	serial := *dev.VirtualMFADevice.SerialNumber
	codes, err := s.Codes(serial)
	if err != nil {
		return "", err
	}
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(name), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(codes.Current), AuthenticationCode2: aws.String(codes.Next)})
	if err != nil {
		return "", fmt.Errorf("emulatortest: enable MFA device for %s: %w", name, err)
	}
	return serial, nil
}

// AssumeRole assumes the role roleARN as the caller of from and returns a
// config that signs with the session's credentials.
func (s *Server) AssumeRole(from aws.Config, roleARN string) (aws.Config, error) {
	return s.assumeRole(from, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String(sessionName)})
}

// AssumeRoleWithMFA is AssumeRole with a code of the caller's virtual
// MFA device serial, so that the session counts as signed in with MFA.
// It reads the code from the device (see Codes); when the device has
// already taken the current one (each code works once), it first moves
// the server's clock on to the step of a fresh one.
func (s *Server) AssumeRoleWithMFA(from aws.Config, roleARN, serial string) (aws.Config, error) {
	code, err := s.freshCode(serial)
	if err != nil {
		return aws.Config{}, err
	}
	return s.assumeRole(from, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String(sessionName),
		SerialNumber: aws.String(serial), TokenCode: aws.String(code)})
}

func (s *Server) assumeRole(from aws.Config, in *sts.AssumeRoleInput) (aws.Config, error) {
	out, err := sts.NewFromConfig(from).AssumeRole(context.Background(), in)
	if err != nil {
		return aws.Config{}, fmt.Errorf("emulatortest: assume role %s: %w", *in.RoleArn, err)
	}
	c := out.Credentials
	return Config(s.URL, *c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken), nil
}

// freshCode is the current code of device serial, after moving the clock
// on past the steps whose codes the device has taken.
func (s *Server) freshCode(serial string) (string, error) {
	for range 3 { // the wait FreshSecs gives is rounded: one more try covers it
		codes, err := s.Codes(serial)
		if err != nil {
			return "", fmt.Errorf("emulatortest: codes of %s: %w", serial, err)
		}
		if !codes.CurrentUsed {
			return codes.Current, nil
		}
		if err := s.AdvanceClock(time.Duration(codes.FreshSecs+1) * time.Second); err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("emulatortest: %s shows no unused code after the clock moved on", serial)
}

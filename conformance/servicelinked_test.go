package conformance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestServiceLinkedRoleLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	r := must[*iam.CreateServiceLinkedRoleOutput](t)(c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com")})).Role
	if got, want := aws.ToString(r.Arn), roleARN("/aws-service-role/autoscaling.amazonaws.com/", "AWSServiceRoleForAutoScaling"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := trustOf(t, r), `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"autoscaling.amazonaws.com"},"Action":"sts:AssumeRole"}]}`; got != want {
		t.Errorf("trust=%s, want %s", got, want)
	}
	attached := must[*iam.ListAttachedRolePoliciesOutput](t)(c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: r.RoleName})).AttachedPolicies
	if len(attached) != 1 || aws.ToString(attached[0].PolicyArn) != "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy" {
		t.Errorf("attached=%+v, want AutoScalingServiceRolePolicy", attached)
	}
	suffixed := must[*iam.CreateServiceLinkedRoleOutput](t)(c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com"), CustomSuffix: aws.String("eks")})).Role
	if got, want := aws.ToString(suffixed.RoleName), "AWSServiceRoleForAutoScaling_eks"; got != want {
		t.Errorf("RoleName with suffix=%q, want %q", got, want)
	}

	t.Run("InvalidInput/taken", func(t *testing.T) {
		_, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com")})
		wantAPIError(t, err, "InvalidInput", 400, "Service role name AWSServiceRoleForAutoScaling has been taken in this account, please try a different suffix.")
	})
	t.Run("InvalidInput/suffix", func(t *testing.T) {
		_, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("es.amazonaws.com"), CustomSuffix: aws.String("x")})
		wantAPIError(t, err, "InvalidInput", 400, "Custom suffix is not allowed for es.amazonaws.com")
	})
	t.Run("InvalidInput/not a service", func(t *testing.T) {
		_, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("nothing")})
		wantAPIError(t, err, "InvalidInput", 400, "Invalid service principal: nothing")
	})
	t.Run("UnmodifiableEntity", func(t *testing.T) {
		protected := "Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - this role is only modifiable by AWS"
		_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: r.RoleName})
		wantAPIError(t, err, "UnmodifiableEntity", 400, protected)
		_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: r.RoleName, PolicyName: aws.String("p"), PolicyDocument: aws.String(listBucketPolicy)})
		wantAPIError(t, err, "UnmodifiableEntity", 400, protected)
		_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: r.RoleName, PolicyDocument: aws.String(ec2Trust)})
		wantAPIError(t, err, "UnmodifiableEntity", 400, protected)
		_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: r.RoleName, PolicyArn: attached[0].PolicyArn})
		wantAPIError(t, err, "UnmodifiableEntity", 400, protected)
	})

	task := aws.ToString(must[*iam.DeleteServiceLinkedRoleOutput](t)(c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: r.RoleName})).DeletionTaskId)
	if want := "task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling/"; !strings.HasPrefix(task, want) || len(task) != len(want)+36 {
		t.Errorf("DeletionTaskId=%q, want %s<uuid>", task, want)
	}
	status := must[*iam.GetServiceLinkedRoleDeletionStatusOutput](t)(c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String(task)}))
	if status.Status != types.DeletionTaskStatusTypeSucceeded {
		t.Errorf("Status=%s, want SUCCEEDED", status.Status)
	}
	_, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: r.RoleName})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("AWSServiceRoleForAutoScaling"))

	t.Run("InvalidInput/DeleteServiceLinkedRole", func(t *testing.T) {
		tg.createRole(t, "mine")
		_, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("mine")})
		wantAPIError(t, err, "InvalidInput", 400, "Role mine is not a service-linked role.")
	})
	t.Run("InvalidInput/DeletionTaskId", func(t *testing.T) {
		_, err := c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String("bogus")})
		wantAPIError(t, err, "InvalidInput", 400, "Invalid deletion task id bogus.")
	})
}

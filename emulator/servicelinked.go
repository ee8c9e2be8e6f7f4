package emulator

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// serviceLinkedRolePath is where service-linked roles live:
// /aws-service-role/<service principal>/.
const serviceLinkedRolePath = "/aws-service-role/"

// serviceLinked is what AWS makes for one service's service-linked role:
// the role's name and the AWS managed policy it attaches (path
// /aws-service-role/), from each service's documentation of its
// service-linked role; the policies are in the embedded catalogue.
type serviceLinked struct {
	name, policy string
	suffix       bool // whether AWS takes a CustomSuffix (Auto Scaling does)
}

var serviceLinkedRoles = map[string]serviceLinked{
	"autoscaling.amazonaws.com":                      {"AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy", true},
	"spot.amazonaws.com":                             {"AWSServiceRoleForEC2Spot", "AWSEC2SpotServiceRolePolicy", false},
	"spotfleet.amazonaws.com":                        {"AWSServiceRoleForEC2SpotFleet", "AWSEC2SpotFleetServiceRolePolicy", false},
	"ecs.amazonaws.com":                              {"AWSServiceRoleForECS", "AmazonECSServiceRolePolicy", false},
	"eks.amazonaws.com":                              {"AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy", false},
	"eks-nodegroup.amazonaws.com":                    {"AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup", false},
	"elasticloadbalancing.amazonaws.com":             {"AWSServiceRoleForElasticLoadBalancing", "AWSElasticLoadBalancingServiceRolePolicy", false},
	"es.amazonaws.com":                               {"AWSServiceRoleForAmazonElasticsearchService", "AmazonElasticsearchServiceRolePolicy", false},
	"opensearchservice.amazonaws.com":                {"AWSServiceRoleForAmazonOpenSearchService", "AmazonOpenSearchServiceRolePolicy", false},
	"rds.amazonaws.com":                              {"AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy", false},
	"ssm.amazonaws.com":                              {"AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy", false},
	"elasticbeanstalk.amazonaws.com":                 {"AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy", false},
	"config.amazonaws.com":                           {"AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy", false},
	"support.amazonaws.com":                          {"AWSServiceRoleForSupport", "AWSSupportServiceRolePolicy", false},
	"trustedadvisor.amazonaws.com":                   {"AWSServiceRoleForTrustedAdvisor", "AWSTrustedAdvisorServiceRolePolicy", false},
	"dynamodb.application-autoscaling.amazonaws.com": {"AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", "AWSApplicationAutoscalingDynamoDBTablePolicy", false},
	"elasticmapreduce.amazonaws.com":                 {"AWSServiceRoleForEMRCleanup", "AmazonEMRCleanupPolicy", false},
	"cloudtrail.amazonaws.com":                       {"AWSServiceRoleForCloudTrail", "CloudTrailServiceRolePolicy", false},
	"guardduty.amazonaws.com":                        {"AWSServiceRoleForAmazonGuardDuty", "AmazonGuardDutyServiceRolePolicy", false},
	"securityhub.amazonaws.com":                      {"AWSServiceRoleForSecurityHub", "AWSSecurityHubServiceRolePolicy", false},
}

// serviceLinkedOf is the service-linked role of a service principal. A
// service iamlocal does not know gets AWSServiceRoleFor<Service> and no
// policy, as most services name theirs; a name that is no service
// principal is refused.
func serviceLinkedOf(service string) (serviceLinked, error) {
	if s, ok := serviceLinkedRoles[service]; ok {
		return s, nil
	}
	prefix, ok := strings.CutSuffix(service, ".amazonaws.com")
	if !ok || prefix == "" {
		return serviceLinked{}, unknownServicePrincipal(service)
	}
	first := prefix[strings.LastIndexByte(prefix, '.')+1:]
	return serviceLinked{name: "AWSServiceRoleFor" + strings.ToUpper(first[:1]) + first[1:], suffix: true}, nil
}

func (e *Emulator) CreateServiceLinkedRole(ctx context.Context, in *iam.CreateServiceLinkedRoleInput) (*iam.CreateServiceLinkedRoleOutput, error) {
	c := callerOf(ctx)
	service := *in.AWSServiceName
	s, err := serviceLinkedOf(service)
	if err != nil {
		return nil, err
	}
	name := s.name
	if in.CustomSuffix != nil {
		if !s.suffix {
			return nil, customSuffixNotAllowed(service)
		}
		name += "_" + *in.CustomSuffix
	}
	r := &store.Role{
		Account:            c.Account,
		Name:               name,
		Path:               serviceLinkedRolePath + service + "/",
		ID:                 uniqueID(prefixRole),
		Created:            e.now(),
		Description:        aws.ToString(in.Description),
		MaxSessionDuration: defaultMaxSessionDuration,
		TrustPolicy:        `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`,
		Service:            service,
	}
	err = e.db.Update(func(tx *store.Tx) error {
		key := requestKey{"iam:AWSServiceName", []string{service}}
		if err := authorize(tx, c, "iam:CreateServiceLinkedRole", roleARNOf(partition(c), r), key); err != nil {
			return err
		}
		if tx.CountRoles(c.Account) >= maxRoles {
			return rolesQuota()
		}
		if err := tx.CreateRole(r); errors.Is(err, store.ErrExists) {
			return serviceRoleNameTaken(r.Name)
		} else if err != nil {
			return err
		}
		if s.policy == "" {
			return nil
		}
		return tx.AttachPolicy(c.Account, store.KindRole, r.ID, awsPolicyRefs+strings.TrimPrefix(serviceLinkedRolePath, "/")+s.policy)
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateServiceLinkedRoleOutput{Role: roleOut(partition(c), r, roleShort)}, nil
}

// DeleteServiceLinkedRole deletes the role at once, with the policies the
// service gave it; AWS deletes it in the background once the service no
// longer uses it, which iamlocal has no way to know.
func (e *Emulator) DeleteServiceLinkedRole(ctx context.Context, in *iam.DeleteServiceLinkedRoleInput) (*iam.DeleteServiceLinkedRoleOutput, error) {
	c := callerOf(ctx)
	task := ""
	uuid := wire.NewUUID()
	err := e.db.Update(func(tx *store.Tx) error {
		r, err := authorizedRole(tx, c, *in.RoleName, "iam:DeleteServiceLinkedRole")
		if err != nil {
			return err
		}
		if r.Service == "" {
			return notServiceLinked(r.Name)
		}
		attached, err := tx.AttachedPolicies(c.Account, r.ID)
		if err != nil {
			return err
		}
		for _, ref := range attached {
			if err := tx.DetachPolicy(c.Account, store.KindRole, r.ID, ref); err != nil {
				return err
			}
		}
		if err := roleDependents(tx, r); err != nil {
			return err
		}
		task = "task" + r.Path + r.Name + "/" + uuid
		return tx.DeleteRole(r)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteServiceLinkedRoleOutput{DeletionTaskId: aws.String(task)}, nil
}

// GetServiceLinkedRoleDeletionStatus answers SUCCEEDED for a task of the
// documented shape (task/aws-service-role/<service>/<role>/<uuid>): iamlocal
// deletes service-linked roles at once.
func (e *Emulator) GetServiceLinkedRoleDeletionStatus(ctx context.Context, in *iam.GetServiceLinkedRoleDeletionStatusInput) (*iam.GetServiceLinkedRoleDeletionStatusOutput, error) {
	c := callerOf(ctx)
	id := *in.DeletionTaskId
	parts := strings.Split(id, "/")
	if len(parts) != 5 || parts[0] != "task" || parts[1] != strings.Trim(serviceLinkedRolePath, "/") || parts[2] == "" || parts[3] == "" || len(parts[4]) != 36 {
		return nil, invalidDeletionTask(id)
	}
	arn := roleARN(partition(c), c.Account, serviceLinkedRolePath+parts[2]+"/", parts[3])
	err := e.db.View(func(tx *store.Tx) error {
		return authorize(tx, c, "iam:GetServiceLinkedRoleDeletionStatus", arn)
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetServiceLinkedRoleDeletionStatusOutput{Status: types.DeletionTaskStatusTypeSucceeded}, nil
}

// authorizedModifiableRole is authorizedRole for an action that changes
// the role: a service-linked role only its service may change.
func authorizedModifiableRole(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*store.Role, error) {
	r, err := authorizedRole(tx, c, name, action, keys...)
	if err == nil && r.Service != "" {
		return nil, protectedRole(r.Name)
	}
	return r, err
}

package console

import (
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

type rolesView struct{ Roles listing[types.Role] }

func (c *Console) roles(p *page) error {
	p.path = iamPath + "roles"
	roles, err := listingOf(everything(func(marker *string) ([]types.Role, *string, error) {
		out, err := c.emu.ListRoles(p.ctx, &iam.ListRolesInput{Marker: marker, MaxItems: maxItems})
		if err != nil {
			return nil, nil, err
		}
		return out.Roles, moreAfter(out.IsTruncated, out.Marker), nil
	}))
	if err != nil {
		return err
	}
	return p.render("roles", &rolesView{Roles: roles})
}

// roleView is a role's details page.
type roleView struct {
	Role       *types.Role
	Trust      string // the trust policy, indented
	MaxSession string // as the AWS console says it: "1 hour", "12 hours"
	Policies   policiesSection
	// SwitchURL is the console's switch-role link for the role, as AWS's
	// "Link to switch roles in console".
	SwitchURL string
	Failed    *errorView
}

func (c *Console) role(p *page) error { return c.renderRole(p, nil) }

func (c *Console) renderRole(p *page, failed *errorView) error {
	name := p.r.PathValue("name")
	p.path = iamPath + "roles/" + pathSegment(name)
	out, err := c.emu.GetRole(p.ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return err
	}
	r := out.Role
	v := &roleView{Role: r, Trust: prettyDocument(r.AssumeRolePolicyDocument), MaxSession: p.duration(aws.ToInt32(r.MaxSessionDuration)), Failed: failed}
	q := url.Values{"account": {accountOf(aws.ToString(r.Arn))}, "roleName": {roleNameWithPath(r)}}
	v.SwitchURL = Prefix + "switchrole?" + q.Encode()
	if v.Policies, err = c.policiesSection(p, roleKind, name); err != nil {
		return err
	}
	return p.render("role", v)
}

// accountOf is the account in an ARN.
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// roleNameWithPath is the role's name as the switch-role form takes it:
// with its path, if any (division/role).
func roleNameWithPath(r *types.Role) string {
	return strings.TrimPrefix(aws.ToString(r.Path), "/") + aws.ToString(r.RoleName)
}

// duration is seconds in hours (or minutes) as the console shows it.
func (p *page) duration(seconds int32) string {
	d := time.Duration(seconds) * time.Second
	if d%time.Hour == 0 {
		return p.T.Get("duration.hours", int(d/time.Hour))
	}
	return p.T.Get("duration.minutes", int(d/time.Minute))
}

package console

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// policiesPerPage bounds a policy list page: the AWS managed catalogue
// alone has over a thousand.
const policiesPerPage = 50

// policyFilter is a policy list's filter: the scope (All, AWS, Local), a
// part of the name, and the page.
type policyFilter struct {
	Scope, Query string
	Page         int
}

func policyFilterOf(q url.Values) policyFilter {
	f := policyFilter{Scope: q.Get("scope"), Query: strings.TrimSpace(q.Get("q"))}
	switch types.PolicyScopeType(f.Scope) {
	case types.PolicyScopeTypeAws, types.PolicyScopeTypeLocal:
	default:
		f.Scope = string(types.PolicyScopeTypeAll)
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = max(f.Page, 1)
	return f
}

// policyPage is one page of a filtered policy list.
type policyPage struct {
	Filter          policyFilter
	Policies        listing[types.Policy]
	Total           int
	Prev, Next      string // the other pages' query strings, "" at either end
	Scopes          []string
	Pick            bool // rows have a checkbox each (the attach page)
	ShowingFrom, To int
}

// policyPageOf lists the policies filter f selects, one page of them.
func (c *Console) policyPageOf(p *page, f policyFilter) (*policyPage, error) {
	v := &policyPage{Filter: f, Scopes: []string{"All", "AWS", "Local"}}
	all, err := everything(func(marker *string) ([]types.Policy, *string, error) {
		out, err := c.emu.ListPolicies(p.ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeType(f.Scope), Marker: marker, MaxItems: maxItems})
		if err != nil {
			return nil, nil, err
		}
		return out.Policies, moreAfter(out.IsTruncated, out.Marker), nil
	})
	if err != nil {
		v.Policies, err = listingOf[types.Policy](nil, err)
		return v, err
	}
	all = slices.DeleteFunc(all, func(pol types.Policy) bool {
		return f.Query != "" && !strings.Contains(strings.ToLower(aws.ToString(pol.PolicyName)), strings.ToLower(f.Query))
	})
	// By name, the one the filter names exactly first.
	exact := func(p types.Policy) int {
		if strings.EqualFold(aws.ToString(p.PolicyName), f.Query) {
			return 0
		}
		return 1
	}
	slices.SortFunc(all, func(a, b types.Policy) int {
		return cmp.Or(exact(a)-exact(b), strings.Compare(strings.ToLower(aws.ToString(a.PolicyName)), strings.ToLower(aws.ToString(b.PolicyName))))
	})
	v.Total = len(all)
	from := min((f.Page-1)*policiesPerPage, len(all))
	to := min(from+policiesPerPage, len(all))
	v.Policies.Rows, v.ShowingFrom, v.To = all[from:to], from+1, to
	query := func(page int) string {
		return url.Values{"scope": {f.Scope}, "q": {f.Query}, "page": {strconv.Itoa(page)}}.Encode()
	}
	if f.Page > 1 {
		v.Prev = query(f.Page - 1)
	}
	if to < len(all) {
		v.Next = query(f.Page + 1)
	}
	return v, nil
}

func (c *Console) policies(p *page) error {
	p.path = iamPath + "policies"
	v, err := c.policyPageOf(p, policyFilterOf(p.r.URL.Query()))
	if err != nil {
		return err
	}
	return p.render("policies", v)
}

// policyView is a managed policy's details page.
type policyView struct {
	Policy   *types.Policy
	AWS      bool // an AWS managed policy
	Document string
	DocError *errorView
	Users    []types.PolicyUser
	Groups   []types.PolicyGroup
	Roles    []types.PolicyRole
	EntError *errorView
}

func (c *Console) policy(p *page) error {
	arn := p.r.PathValue("arn")
	p.path = policyPath(arn)
	in, err := decodeForm[iam.GetPolicyInput]("PolicyArn", arn)
	if err != nil {
		return err
	}
	out, err := c.emu.GetPolicy(p.ctx, in)
	if err != nil {
		return err
	}
	v := &policyView{Policy: out.Policy, AWS: isAWSPolicy(arn)}
	doc, err := c.emu.GetPolicyVersion(p.ctx, &iam.GetPolicyVersionInput{PolicyArn: in.PolicyArn, VersionId: out.Policy.DefaultVersionId})
	if err == nil {
		v.Document = prettyDocument(doc.PolicyVersion.Document)
	} else if v.DocError, err = asAWSError(err); err != nil {
		return err
	}
	ents := &iam.ListEntitiesForPolicyInput{PolicyArn: in.PolicyArn, MaxItems: maxItems}
	_, err = everything(func(marker *string) ([]struct{}, *string, error) {
		ents.Marker = marker
		out, err := c.emu.ListEntitiesForPolicy(p.ctx, ents)
		if err != nil {
			return nil, nil, err
		}
		v.Users, v.Groups, v.Roles = append(v.Users, out.PolicyUsers...), append(v.Groups, out.PolicyGroups...), append(v.Roles, out.PolicyRoles...)
		return nil, moreAfter(out.IsTruncated, out.Marker), nil
	})
	if err != nil {
		if v.EntError, err = asAWSError(err); err != nil {
			return err
		}
	}
	return p.render("policy", v)
}

// policyPath is the console path of the managed policy arn's page.
func policyPath(arn string) string { return iamPath + "policy/" + arn }

// isAWSPolicy tells an AWS managed policy's ARN from a customer's.
func isAWSPolicy(arn string) bool { return strings.Contains(arn, ":iam::aws:policy/") }

// entityKind is the kind of IAM identity a policy attaches to, as its
// console path names it.
type entityKind string

const (
	userKind  entityKind = "users"
	groupKind entityKind = "groups"
	roleKind  entityKind = "roles"
)

func kindOf(p *page) (entityKind, bool) {
	switch k := entityKind(p.r.PathValue("kind")); k {
	case userKind, groupKind, roleKind:
		return k, true
	}
	return "", false
}

// policiesSection is the permissions section of an entity's page: its
// managed policies (with attach and detach) and its inline policies.
type policiesSection struct {
	Kind, Name string
	Attached   listing[types.AttachedPolicy]
	Inline     listing[inlinePolicy]
}

func (c *Console) policiesSection(p *page, kind entityKind, name string) (policiesSection, error) {
	s := policiesSection{Kind: string(kind), Name: name}
	var err error
	if s.Attached, err = listingOf(c.attachedPolicies(p, kind, name)); err != nil {
		return s, err
	}
	s.Inline, err = listingOf(c.inlinePolicies(p, kind, name))
	return s, err
}

func (c *Console) attachedPolicies(p *page, kind entityKind, name string) ([]types.AttachedPolicy, error) {
	switch kind {
	case userKind:
		out, err := c.emu.ListAttachedUserPolicies(p.ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(name), MaxItems: maxItems})
		if err != nil {
			return nil, err
		}
		return out.AttachedPolicies, nil
	case groupKind:
		out, err := c.emu.ListAttachedGroupPolicies(p.ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(name), MaxItems: maxItems})
		if err != nil {
			return nil, err
		}
		return out.AttachedPolicies, nil
	}
	out, err := c.emu.ListAttachedRolePolicies(p.ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name), MaxItems: maxItems})
	if err != nil {
		return nil, err
	}
	return out.AttachedPolicies, nil
}

// inlinePolicies are the entity's inline policies with their documents.
func (c *Console) inlinePolicies(p *page, kind entityKind, name string) ([]inlinePolicy, error) {
	var names []string
	var document func(policy *string) (*string, error)
	switch kind {
	case userKind:
		out, err := c.emu.ListUserPolicies(p.ctx, &iam.ListUserPoliciesInput{UserName: aws.String(name), MaxItems: maxItems})
		if err != nil {
			return nil, err
		}
		names = out.PolicyNames
		document = func(policy *string) (*string, error) {
			out, err := c.emu.GetUserPolicy(p.ctx, &iam.GetUserPolicyInput{UserName: aws.String(name), PolicyName: policy})
			if err != nil {
				return nil, err
			}
			return out.PolicyDocument, nil
		}
	case groupKind:
		out, err := c.emu.ListGroupPolicies(p.ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(name), MaxItems: maxItems})
		if err != nil {
			return nil, err
		}
		names = out.PolicyNames
		document = func(policy *string) (*string, error) {
			out, err := c.emu.GetGroupPolicy(p.ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(name), PolicyName: policy})
			if err != nil {
				return nil, err
			}
			return out.PolicyDocument, nil
		}
	default:
		out, err := c.emu.ListRolePolicies(p.ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name), MaxItems: maxItems})
		if err != nil {
			return nil, err
		}
		names = out.PolicyNames
		document = func(policy *string) (*string, error) {
			out, err := c.emu.GetRolePolicy(p.ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: policy})
			if err != nil {
				return nil, err
			}
			return out.PolicyDocument, nil
		}
	}
	rows := make([]inlinePolicy, 0, len(names))
	for _, n := range names {
		doc, err := document(aws.String(n))
		if err != nil {
			return nil, err
		}
		rows = append(rows, inlinePolicy{Name: n, Document: prettyDocument(doc)})
	}
	return rows, nil
}

// attachView is the page that picks managed policies to attach to an
// entity, by the list or by ARN.
type attachView struct {
	Kind, Name string
	Back       string
	List       *policyPage
	ARN        string
	Failed     *errorView
}

func (c *Console) attachPage(p *page) error { return c.renderAttach(p, "", nil) }

func (c *Console) renderAttach(p *page, arn string, failed *errorView) error {
	kind, ok := kindOf(p)
	if !ok {
		return p.notFound()
	}
	name := p.r.PathValue("name")
	back := iamPath + string(kind) + "/" + pathSegment(name)
	p.path = iamPath + "attach/" + string(kind) + "/" + pathSegment(name)
	list, err := c.policyPageOf(p, policyFilterOf(p.r.URL.Query()))
	if err != nil {
		return err
	}
	list.Pick = true
	return p.render("attach", &attachView{Kind: string(kind), Name: name, Back: back, List: list, ARN: arn, Failed: failed})
}

// attach attaches each policy the form picked (the list's checkboxes and
// the ARN field), stopping at the first refusal.
func (c *Console) attach(p *page) error {
	kind, ok := kindOf(p)
	if !ok {
		return p.notFound()
	}
	name := p.r.PathValue("name")
	p.r.ParseForm()
	var arns []string
	for _, a := range p.r.PostForm["arn"] {
		if a = strings.TrimSpace(a); a != "" {
			arns = append(arns, a)
		}
	}
	if len(arns) == 0 {
		arns = []string{""} // the API's own error for a missing ARN
	}
	var err error
	for _, arn := range arns {
		if err = c.attachPolicy(p, kind, name, arn); err != nil {
			break
		}
	}
	return p.answer(err, iamPath+string(kind)+"/"+pathSegment(name), "policies.attached", func(failed *errorView) error {
		return c.renderAttach(p, p.r.PostFormValue("arn"), failed)
	})
}

func (c *Console) attachPolicy(p *page, kind entityKind, name, arn string) error {
	switch kind {
	case userKind:
		in, err := decodeForm[iam.AttachUserPolicyInput]("UserName", name, "PolicyArn", arn)
		if err == nil {
			_, err = c.emu.AttachUserPolicy(p.ctx, in)
		}
		return err
	case groupKind:
		in, err := decodeForm[iam.AttachGroupPolicyInput]("GroupName", name, "PolicyArn", arn)
		if err == nil {
			_, err = c.emu.AttachGroupPolicy(p.ctx, in)
		}
		return err
	}
	in, err := decodeForm[iam.AttachRolePolicyInput]("RoleName", name, "PolicyArn", arn)
	if err == nil {
		_, err = c.emu.AttachRolePolicy(p.ctx, in)
	}
	return err
}

func (c *Console) detach(p *page) error {
	kind, ok := kindOf(p)
	if !ok {
		return p.notFound()
	}
	name, arn := p.r.PathValue("name"), p.r.PostFormValue("arn")
	var err error
	switch kind {
	case userKind:
		var in *iam.DetachUserPolicyInput
		if in, err = decodeForm[iam.DetachUserPolicyInput]("UserName", name, "PolicyArn", arn); err == nil {
			_, err = c.emu.DetachUserPolicy(p.ctx, in)
		}
	case groupKind:
		var in *iam.DetachGroupPolicyInput
		if in, err = decodeForm[iam.DetachGroupPolicyInput]("GroupName", name, "PolicyArn", arn); err == nil {
			_, err = c.emu.DetachGroupPolicy(p.ctx, in)
		}
	default:
		var in *iam.DetachRolePolicyInput
		if in, err = decodeForm[iam.DetachRolePolicyInput]("RoleName", name, "PolicyArn", arn); err == nil {
			_, err = c.emu.DetachRolePolicy(p.ctx, in)
		}
	}
	return p.answer(err, iamPath+string(kind)+"/"+pathSegment(name), "policies.detached", func(failed *errorView) error {
		switch kind {
		case userKind:
			return c.renderUser(p, failed)
		case groupKind:
			return c.renderGroup(p, failed)
		}
		return c.renderRole(p, failed)
	})
}

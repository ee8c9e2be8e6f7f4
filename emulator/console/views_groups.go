package console

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

type groupsView struct {
	Groups listing[types.Group]
	Name   string // the create form as last sent
	Error  *errorView
}

func (c *Console) groups(p *page) error { return c.renderGroups(p, "", nil) }

func (c *Console) renderGroups(p *page, name string, failed *errorView) error {
	p.path = iamPath + "groups"
	groups, err := listingOf(c.allGroups(p))
	if err != nil {
		return err
	}
	return p.render("groups", &groupsView{Groups: groups, Name: name, Error: failed})
}

func (c *Console) allGroups(p *page) ([]types.Group, error) {
	var all []types.Group
	in := &iam.ListGroupsInput{MaxItems: aws.Int32(1000)}
	for {
		out, err := c.emu.ListGroups(p.ctx, in)
		if err != nil {
			return nil, err
		}
		all = append(all, out.Groups...)
		if !out.IsTruncated {
			return all, nil
		}
		in.Marker = out.Marker
	}
}

func (c *Console) createGroup(p *page) error {
	name := p.r.PostFormValue("name")
	in, err := decodeForm[iam.CreateGroupInput]("GroupName", name)
	if err == nil {
		_, err = c.emu.CreateGroup(p.ctx, in)
	}
	return p.answer(err, iamPath+"groups/"+pathSegment(name), "groups.created", func(failed *errorView) error {
		return c.renderGroups(p, name, failed)
	})
}

// groupView is a group's details page.
type groupView struct {
	Group    *types.Group
	Members  []types.User
	NotIn    []types.User // the account's users not in the group, for the add form
	Policies policiesSection
	Failed   *errorView
}

func (c *Console) group(p *page) error { return c.renderGroup(p, nil) }

func (c *Console) renderGroup(p *page, failed *errorView) error {
	name := p.r.PathValue("name")
	p.path = iamPath + "groups/" + pathSegment(name)
	v := &groupView{Failed: failed}
	in := &iam.GetGroupInput{GroupName: aws.String(name), MaxItems: aws.Int32(1000)}
	for {
		out, err := c.emu.GetGroup(p.ctx, in)
		if err != nil {
			return err
		}
		v.Group = out.Group
		v.Members = append(v.Members, out.Users...)
		if !out.IsTruncated {
			break
		}
		in.Marker = out.Marker
	}
	if all, err := c.allUsers(p); err == nil {
		v.NotIn = usersNotIn(all, v.Members)
	}
	var err error
	if v.Policies, err = c.policiesSection(p, groupKind, name); err != nil {
		return err
	}
	return p.render("group", v)
}

func usersNotIn(all, in []types.User) []types.User {
	member := map[string]bool{}
	for _, u := range in {
		member[aws.ToString(u.UserName)] = true
	}
	var out []types.User
	for _, u := range all {
		if !member[aws.ToString(u.UserName)] {
			out = append(out, u)
		}
	}
	return out
}

func (c *Console) addGroupMember(p *page) error {
	group := p.r.PathValue("name")
	return c.membership(p, p.r.PostFormValue("user"), group, true, iamPath+"groups/"+pathSegment(group), func(failed *errorView) error { return c.renderGroup(p, failed) })
}

func (c *Console) removeGroupMember(p *page) error {
	group := p.r.PathValue("name")
	return c.membership(p, p.r.PostFormValue("user"), group, false, iamPath+"groups/"+pathSegment(group), func(failed *errorView) error { return c.renderGroup(p, failed) })
}

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
	return everything(func(marker *string) ([]types.Group, *string, error) {
		out, err := c.emu.ListGroups(p.ctx, &iam.ListGroupsInput{Marker: marker, MaxItems: maxItems})
		if err != nil {
			return nil, nil, err
		}
		return out.Groups, moreAfter(out.IsTruncated, out.Marker), nil
	})
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
	var err error
	v.Members, err = everything(func(marker *string) ([]types.User, *string, error) {
		out, err := c.emu.GetGroup(p.ctx, &iam.GetGroupInput{GroupName: aws.String(name), Marker: marker, MaxItems: maxItems})
		if err != nil {
			return nil, nil, err
		}
		v.Group = out.Group
		return out.Users, moreAfter(out.IsTruncated, out.Marker), nil
	})
	if err != nil {
		return err
	}
	if all, err := c.allUsers(p); err == nil {
		v.NotIn = usersNotIn(all, v.Members)
	}
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

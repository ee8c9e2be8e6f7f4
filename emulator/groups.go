package emulator

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	maxGroups        = 300 // GroupsPerAccount
	maxGroupsPerUser = 10  // GroupsPerUser
)

// group loads the named group, or AWS's NoSuchEntity for it.
func group(tx *store.Tx, account, name string) (*store.Group, error) {
	g, err := tx.Group(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchGroup(name)
	}
	return g, err
}

// authorizedGroup loads the named group and checks that the caller may
// perform action on it.
func authorizedGroup(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*store.Group, error) {
	g, err := group(tx, c.Account, name)
	if err != nil {
		return nil, missingAuthorized(tx, c, action, groupARN(partition(c), c.Account, "/", name), err)
	}
	return g, authorize(tx, c, action, groupARNOf(partition(c), g), keys...)
}

// userAndGroup loads the user, then the group, of a membership action: a
// missing user is reported before a missing group (aws-facts §7.1).
func userAndGroup(tx *store.Tx, c wire.Caller, userName, groupName, action string) (*store.User, *store.Group, error) {
	// The action's resource is the group: a caller it denies learns
	// nothing of the user either.
	u, uerr := user(tx, c.Account, userName)
	g, err := authorizedGroup(tx, c, groupName, action)
	if hasCode(err, "AccessDenied") {
		return nil, nil, err
	}
	if uerr != nil {
		return nil, nil, uerr
	}
	return u, g, err
}

func (e *Emulator) CreateGroup(ctx context.Context, in *iam.CreateGroupInput) (*iam.CreateGroupOutput, error) {
	c := callerOf(ctx)
	g := &store.Group{
		Account: c.Account,
		Name:    *in.GroupName,
		Path:    aws.ToString(in.Path),
		ID:      uniqueID(prefixGroup),
		Created: e.now(),
	}
	if g.Path == "" {
		g.Path = "/"
	}
	err := e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:CreateGroup", groupARNOf(partition(c), g)); err != nil {
			return err
		}
		if tx.CountGroups(c.Account) >= maxGroups {
			return groupsQuota()
		}
		if err := tx.CreateGroup(g); errors.Is(err, store.ErrExists) {
			return groupExists(g.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateGroupOutput{Group: groupOut(partition(c), g)}, nil
}

// GetGroup answers the group and its users, in name order and paged.
func (e *Emulator) GetGroup(ctx context.Context, in *iam.GetGroupInput) (*iam.GetGroupOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("GetGroup", in.Marker)
	if err != nil {
		return nil, err
	}
	var g *store.Group
	var members []*store.User
	err = e.db.View(func(tx *store.Tx) error {
		if g, err = authorizedGroup(tx, c, *in.GroupName, "iam:GetGroup"); err != nil {
			return err
		}
		members, err = groupMembers(tx, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next := pageAfter("GetGroup", members, userName, after, in.MaxItems)
	out := &iam.GetGroupOutput{Group: groupOut(partition(c), g), Users: []types.User{}, IsTruncated: next != nil, Marker: next}
	for _, u := range page {
		out.Users = append(out.Users, *userOut(partition(c), u, false))
	}
	return out, nil
}

func (e *Emulator) ListGroups(ctx context.Context, in *iam.ListGroupsInput) (*iam.ListGroupsOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListGroups", in.Marker)
	if err != nil {
		return nil, err
	}
	out := &iam.ListGroupsOutput{}
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListGroups", groupARN(partition(c), c.Account, "/", "*")); err != nil {
			return err
		}
		each := func(after string, fn func(*store.Group) (bool, error)) error { return tx.Groups(c.Account, after, fn) }
		view := func(g *store.Group) (types.Group, error) { return *groupOut(partition(c), g), nil }
		out.Groups, out.Marker, err = pathPage("ListGroups", after, aws.ToString(in.PathPrefix), in.MaxItems, each,
			func(g *store.Group) string { return g.Path }, groupName, view)
		out.IsTruncated = out.Marker != nil
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateGroup renames or moves a group. The caller needs the permission on
// the group under its old name and under its new one, as on AWS.
func (e *Emulator) UpdateGroup(ctx context.Context, in *iam.UpdateGroupInput) (*iam.UpdateGroupOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		g, err := authorizedGroup(tx, c, *in.GroupName, "iam:UpdateGroup")
		if err != nil {
			return err
		}
		oldName := g.Name
		if in.NewGroupName != nil {
			g.Name = *in.NewGroupName
		}
		if in.NewPath != nil {
			g.Path = *in.NewPath
		}
		if err := authorize(tx, c, "iam:UpdateGroup", groupARNOf(partition(c), g)); err != nil {
			return err
		}
		if err := tx.UpdateGroup(oldName, g); errors.Is(err, store.ErrExists) {
			return groupExists(g.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateGroupOutput{}, nil
}

func (e *Emulator) DeleteGroup(ctx context.Context, in *iam.DeleteGroupInput) (*iam.DeleteGroupOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		g, err := authorizedGroup(tx, c, *in.GroupName, "iam:DeleteGroup")
		if err != nil {
			return err
		}
		if err := groupDependents(tx, g); err != nil {
			return err
		}
		return tx.DeleteGroup(g)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteGroupOutput{}, nil
}

// groupDependents is AWS's DeleteConflict for the first thing still
// attached to g, or nil when it can go.
func groupDependents(tx *store.Tx, g *store.Group) error {
	members, err := tx.GroupMemberIDs(g.Account, g.ID)
	if err != nil {
		return err
	}
	if len(members) > 0 {
		return groupHasMembers()
	}
	if err := hasInline(tx, groupEmbedder(g)); err != nil {
		return err
	}
	if attached, err := tx.AttachedPolicies(g.Account, g.ID); err != nil {
		return err
	} else if len(attached) > 0 {
		return policiesAttached()
	}
	return nil
}

// AddUserToGroup adds a member; adding a member again is a success.
func (e *Emulator) AddUserToGroup(ctx context.Context, in *iam.AddUserToGroupInput) (*iam.AddUserToGroupOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, g, err := userAndGroup(tx, c, *in.UserName, *in.GroupName, "iam:AddUserToGroup")
		if err != nil {
			return err
		}
		groups, err := tx.UserGroupIDs(c.Account, u.ID)
		switch {
		case err != nil:
			return err
		case slices.Contains(groups, g.ID):
			return nil
		case len(groups) >= maxGroupsPerUser:
			return quotaExceeded("GroupsPerUser", maxGroupsPerUser)
		}
		return tx.AddGroupMember(c.Account, g.ID, u.ID)
	})
	if err != nil {
		return nil, err
	}
	return &iam.AddUserToGroupOutput{}, nil
}

// RemoveUserFromGroup ends a membership; removing a non-member is a success.
func (e *Emulator) RemoveUserFromGroup(ctx context.Context, in *iam.RemoveUserFromGroupInput) (*iam.RemoveUserFromGroupOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, g, err := userAndGroup(tx, c, *in.UserName, *in.GroupName, "iam:RemoveUserFromGroup")
		if err != nil {
			return err
		}
		return tx.RemoveGroupMember(c.Account, g.ID, u.ID)
	})
	if err != nil {
		return nil, err
	}
	return &iam.RemoveUserFromGroupOutput{}, nil
}

// ListGroupsForUser answers the user's groups in name order, paged.
func (e *Emulator) ListGroupsForUser(ctx context.Context, in *iam.ListGroupsForUserInput) (*iam.ListGroupsForUserOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListGroupsForUser", in.Marker)
	if err != nil {
		return nil, err
	}
	var groups []*store.Group
	err = e.db.View(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:ListGroupsForUser")
		if err != nil {
			return err
		}
		groups, err = userGroups(tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next := pageAfter("ListGroupsForUser", groups, groupName, after, in.MaxItems)
	out := &iam.ListGroupsForUserOutput{Groups: []types.Group{}, IsTruncated: next != nil, Marker: next}
	for _, g := range page {
		out.Groups = append(out.Groups, *groupOut(partition(c), g))
	}
	return out, nil
}

// groupMembers is the users of g in name order (case-folded).
func groupMembers(tx *store.Tx, g *store.Group) ([]*store.User, error) {
	ids, err := tx.GroupMemberIDs(g.Account, g.ID)
	if err != nil {
		return nil, err
	}
	return loadByName(ids, func(id string) (*store.User, error) { return tx.UserByID(g.Account, id) }, userName)
}

// userGroups is the groups u is in, in name order (case-folded).
func userGroups(tx *store.Tx, u *store.User) ([]*store.Group, error) {
	ids, err := tx.UserGroupIDs(u.Account, u.ID)
	if err != nil {
		return nil, err
	}
	return loadByName(ids, func(id string) (*store.Group, error) { return tx.GroupByID(u.Account, id) }, groupName)
}

func userName(u *store.User) string   { return u.Name }
func groupName(g *store.Group) string { return g.Name }

// loadByName loads the entity of each id and sorts them by folded name.
func loadByName[T any](ids []string, load func(id string) (T, error), name func(T) string) ([]T, error) {
	items := make([]T, 0, len(ids))
	for _, id := range ids {
		item, err := load(id)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	slices.SortFunc(items, func(a, b T) int {
		return strings.Compare(store.FoldName(name(a)), store.FoldName(name(b)))
	})
	return items, nil
}

// pageAfter is the page of items (sorted by folded name) that follows the
// folded name after, and the marker of the next page when there is one.
func pageAfter[T any](list string, items []T, name func(T) string, after string, maxItems *int32) (page []T, next *string) {
	start, _ := slices.BinarySearchFunc(items, after, func(item T, after string) int {
		return strings.Compare(store.FoldName(name(item)), after)
	})
	if start < len(items) && store.FoldName(name(items[start])) == after {
		start++
	}
	end := min(start+pageSize(maxItems), len(items))
	if end < len(items) {
		next = encodeMarker(list, store.FoldName(name(items[end-1])))
	}
	return items[start:end], next
}

// groupOut is the SDK view of g.
func groupOut(partition string, g *store.Group) *types.Group {
	return &types.Group{
		Path:       aws.String(g.Path),
		GroupName:  aws.String(g.Name),
		GroupId:    aws.String(g.ID),
		Arn:        aws.String(groupARNOf(partition, g)),
		CreateDate: aws.Time(g.Created),
	}
}

func groupARNOf(partition string, g *store.Group) string {
	return groupARN(partition, g.Account, g.Path, g.Name)
}

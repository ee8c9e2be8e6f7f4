package console

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// changePasswordPolicy is the AWS managed policy the AWS console attaches
// to a new user who must reset the password, so the user can.
const changePasswordPolicy = "IAMUserChangePassword"

type usersView struct {
	Users  listing[types.User]
	Create createUserForm
}

// createUserForm is the create-user form as last sent, with the AWS error
// that refused it.
type createUserForm struct {
	Name           string
	Console, Reset bool
	Error          *errorView
}

func (c *Console) users(p *page) error {
	return c.renderUsers(p, createUserForm{Console: true, Reset: true})
}

func (c *Console) renderUsers(p *page, form createUserForm) error {
	p.path = iamPath + "users"
	users, err := listingOf(c.allUsers(p))
	if err != nil {
		return err
	}
	return p.render("users", &usersView{Users: users, Create: form})
}

func (c *Console) allUsers(p *page) ([]types.User, error) {
	return everything(func(marker *string) ([]types.User, *string, error) {
		out, err := c.emu.ListUsers(p.ctx, &iam.ListUsersInput{Marker: marker, MaxItems: maxItems})
		if err != nil {
			return nil, nil, err
		}
		return out.Users, moreAfter(out.IsTruncated, out.Marker), nil
	})
}

// createUser makes a user as the AWS console's wizard does: the user,
// then, with console access, its login profile, and, when the password
// must be reset, the IAMUserChangePassword policy attached.
func (c *Console) createUser(p *page) error {
	form := createUserForm{Name: p.r.PostFormValue("name"), Console: p.r.PostFormValue("console") != "", Reset: p.r.PostFormValue("reset") != ""}
	err := c.createUserSteps(p, &form)
	return p.answer(err, iamPath+"users/"+pathSegment(form.Name), "users.created", func(failed *errorView) error {
		form.Error = failed
		return c.renderUsers(p, form)
	})
}

func (c *Console) createUserSteps(p *page, form *createUserForm) error {
	in, err := decodeForm[iam.CreateUserInput]("UserName", form.Name)
	if err != nil {
		return err
	}
	password := p.r.PostFormValue("password")
	var login *iam.CreateLoginProfileInput
	if form.Console {
		reset := "false"
		if form.Reset {
			reset = "true"
		}
		if login, err = decodeForm[iam.CreateLoginProfileInput]("UserName", form.Name, "Password", password, "PasswordResetRequired", reset); err != nil {
			return err
		}
	}
	if _, err := c.emu.CreateUser(p.ctx, in); err != nil {
		return err
	}
	if login == nil {
		return nil
	}
	if _, err := c.emu.CreateLoginProfile(p.ctx, login); err != nil {
		// The AWS console checks the password before it makes the user:
		// a refused password leaves no user behind.
		_, _ = c.emu.DeleteUser(p.ctx, &iam.DeleteUserInput{UserName: in.UserName})
		return err
	}
	if !form.Reset {
		return nil
	}
	_, err = c.emu.AttachUserPolicy(p.ctx, &iam.AttachUserPolicyInput{UserName: in.UserName,
		PolicyArn: aws.String("arn:" + p.partitionOf() + ":iam::aws:policy/" + changePasswordPolicy)})
	return err
}

// userView is a user's details page.
type userView struct {
	User     *types.User
	Login    *types.LoginProfile
	LoginErr *errorView
	Groups   listing[types.Group]
	NotIn    []types.Group // the account's groups the user is not in, for the add form
	Policies policiesSection
	Keys     listing[types.AccessKeyMetadata]
	MFA      listing[types.MFADevice]
	Tags     listing[types.Tag]
	Failed   *errorView
}

// inlinePolicy is an inline policy with its document, indented.
type inlinePolicy struct{ Name, Document string }

func (c *Console) user(p *page) error { return c.renderUser(p, nil) }

func (c *Console) renderUser(p *page, failed *errorView) error {
	name := p.r.PathValue("name")
	p.path = iamPath + "users/" + pathSegment(name)
	got, err := c.emu.GetUser(p.ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return err
	}
	v := &userView{User: got.User, Failed: failed}
	userName := aws.String(name)
	if out, err := c.emu.GetLoginProfile(p.ctx, &iam.GetLoginProfileInput{UserName: userName}); err == nil {
		v.Login = out.LoginProfile
	} else if !isCode(err, "NoSuchEntity") {
		if v.LoginErr, err = asAWSError(err); err != nil {
			return err
		}
	}
	if v.Groups, err = listingOf(c.groupsOf(p, userName)); err != nil {
		return err
	}
	if all, err := c.allGroups(p); err == nil {
		v.NotIn = groupsNotIn(all, v.Groups.Rows)
	}
	if v.Policies, err = c.policiesSection(p, userKind, name); err != nil {
		return err
	}
	keys, err := c.emu.ListAccessKeys(p.ctx, &iam.ListAccessKeysInput{UserName: userName})
	if v.Keys, err = listingOf(keysOf(keys), err); err != nil {
		return err
	}
	mfa, err := c.emu.ListMFADevices(p.ctx, &iam.ListMFADevicesInput{UserName: userName})
	if v.MFA, err = listingOf(mfaOf(mfa), err); err != nil {
		return err
	}
	tags, err := c.emu.ListUserTags(p.ctx, &iam.ListUserTagsInput{UserName: userName})
	if v.Tags, err = listingOf(tagsOf(tags), err); err != nil {
		return err
	}
	return p.render("user", v)
}

func keysOf(out *iam.ListAccessKeysOutput) []types.AccessKeyMetadata {
	if out == nil {
		return nil
	}
	return out.AccessKeyMetadata
}

func mfaOf(out *iam.ListMFADevicesOutput) []types.MFADevice {
	if out == nil {
		return nil
	}
	return out.MFADevices
}

func tagsOf(out *iam.ListUserTagsOutput) []types.Tag {
	if out == nil {
		return nil
	}
	return out.Tags
}

func (c *Console) groupsOf(p *page, userName *string) ([]types.Group, error) {
	out, err := c.emu.ListGroupsForUser(p.ctx, &iam.ListGroupsForUserInput{UserName: userName, MaxItems: maxItems})
	if err != nil {
		return nil, err
	}
	return out.Groups, nil
}

func groupsNotIn(all, in []types.Group) []types.Group {
	member := map[string]bool{}
	for _, g := range in {
		member[aws.ToString(g.GroupName)] = true
	}
	var out []types.Group
	for _, g := range all {
		if !member[aws.ToString(g.GroupName)] {
			out = append(out, g)
		}
	}
	return out
}

func (c *Console) addUserToGroup(p *page) error {
	user, group := p.r.PathValue("name"), p.r.PostFormValue("group")
	return c.membership(p, user, group, true, iamPath+"users/"+pathSegment(user), func(failed *errorView) error { return c.renderUser(p, failed) })
}

func (c *Console) removeUserFromGroup(p *page) error {
	user, group := p.r.PathValue("name"), p.r.PostFormValue("group")
	return c.membership(p, user, group, false, iamPath+"users/"+pathSegment(user), func(failed *errorView) error { return c.renderUser(p, failed) })
}

// membership adds user to group or removes it, then goes back to the page
// the form was on.
func (c *Console) membership(p *page, user, group string, add bool, back string, again func(*errorView) error) error {
	if add {
		in, err := decodeForm[iam.AddUserToGroupInput]("UserName", user, "GroupName", group)
		if err == nil {
			_, err = c.emu.AddUserToGroup(p.ctx, in)
		}
		return p.answer(err, back, "groups.added", again)
	}
	in, err := decodeForm[iam.RemoveUserFromGroupInput]("UserName", user, "GroupName", group)
	if err == nil {
		_, err = c.emu.RemoveUserFromGroup(p.ctx, in)
	}
	return p.answer(err, back, "groups.removed", again)
}

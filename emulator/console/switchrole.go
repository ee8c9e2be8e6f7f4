package console

import (
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/wire"
)

// Switch role, as the AWS console does it: AssumeRole as the signed-in
// IAM user (never chained from a role already switched to), with the
// user's name as the role session's name and the session's default hour.
// A user who signed in with MFA switches as an MFA-authenticated caller,
// so a trust policy that requires MFA lets it in. The pages then act as
// the role session, and the header shows "display name @ account".

// switchRoleForm is the switch-role form, as a link fills it
// (?account=…&roleName=…&displayName=…, AWS's switch-role link) or as last
// sent.
type switchRoleForm struct {
	Account, RoleName, DisplayName string
	// Failed is set when the switch was refused; Error is the AWS error
	// behind it, when there is one (AWS's console shows only its own text).
	Failed bool
	Error  *errorView
}

func (c *Console) switchRolePage(p *page) error {
	q := p.r.URL.Query()
	p.path = Prefix + "switchrole"
	return p.render("switchrole", &switchRoleForm{Account: q.Get("account"), RoleName: q.Get("roleName"), DisplayName: q.Get("displayName")})
}

func (c *Console) switchRole(p *page) error {
	form := &switchRoleForm{Account: strings.TrimSpace(p.r.PostFormValue("account")), RoleName: strings.TrimSpace(p.r.PostFormValue("roleName")),
		DisplayName: strings.TrimSpace(p.r.PostFormValue("displayName"))}
	keyID, err := c.assumeAsUser(p, form)
	if err != nil {
		if form.Error, err = asAWSError(err); err != nil {
			return err
		}
	}
	if keyID == "" {
		form.Failed = true
		p.path = Prefix + "switchrole"
		if form.Error != nil {
			p.w.WriteHeader(failedStatus(form.Error))
		} else {
			p.w.WriteHeader(http.StatusBadRequest)
		}
		return p.render("switchrole", form)
	}
	display := form.DisplayName
	if display == "" {
		display = form.RoleName
	}
	p.s.switchTo(keyID, display)
	p.redirect(Prefix + "home")
	return nil
}

// assumeAsUser assumes the role the form names as the signed-in user and
// returns the role session's access key id; "" with a nil error when the
// form names no account.
func (c *Console) assumeAsUser(p *page, form *switchRoleForm) (string, error) {
	account, err := c.emu.ConsoleAccount(form.Account)
	if err != nil || account == "" || form.RoleName == "" {
		return "", err
	}
	user, mfaTime, _ := p.s.principal()
	caller, err := c.emu.ConsoleCaller(user.Account, user.UserID, mfaTime)
	if err != nil {
		return "", err
	}
	caller = withRequest(caller, p.r)
	in, err := decodeForm[sts.AssumeRoleInput]("RoleArn", "arn:"+partitionOfARN(caller.ARN)+":iam::"+account+":role/"+form.RoleName,
		"RoleSessionName", user.UserName)
	if err != nil {
		return "", err
	}
	out, err := c.emu.AssumeRole(wire.WithCaller(p.r.Context(), caller), in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Credentials.AccessKeyId), nil
}

// switchBackToUser ends the role session's use: the pages act as the
// user again.
func (c *Console) switchBackToUser(p *page) error {
	p.s.switchBack()
	p.redirect(Prefix + "home")
	return nil
}

package console

import (
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/wire"
)

// The sign-in steps: password (signIn), then a code when the user has an
// MFA device (mfaCode), then a new password when the login profile
// requires one or the password has expired (forcedChange). Each step's
// page refuses a session that is not at that step.

func (c *Console) start(p *page) error {
	if p.s != nil && p.s.signedIn() {
		p.redirect(Prefix + "home")
		return nil
	}
	p.redirect(Prefix + "signin")
	return nil
}

// signInForm is what the sign-in page shows.
type signInForm struct {
	Account, User string
	Error         string
}

// signInPage is the sign-in form; /console/<account id or alias>, AWS's
// sign-in URL form, fills in the account.
func (c *Console) signInPage(p *page) error {
	if p.s != nil && p.s.signedIn() {
		p.redirect(Prefix + "home")
		return nil
	}
	p.ensureSession()
	return p.render("signin", &signInForm{Account: p.r.PathValue("account")})
}

func (c *Console) signIn(p *page) error {
	form := &signInForm{Account: p.r.PostFormValue("account"), User: p.r.PostFormValue("username")}
	user, err := c.emu.CheckConsolePassword(form.Account, form.User, p.r.PostFormValue("password"))
	switch {
	case errors.Is(err, emulator.ErrConsoleSignInFailed):
		form.Error = p.T.Get("signin.failed")
	case errors.Is(err, emulator.ErrConsolePasswordExpired):
		form.Error = p.T.Get("signin.expired")
	case err != nil:
		return err
	}
	if form.Error != "" {
		p.w.WriteHeader(http.StatusUnauthorized)
		p.path = Prefix + "signin"
		return p.render("signin", form)
	}
	c.sessions.end(p.w, p.s)
	next := stageSignedIn
	switch {
	case len(user.MFADevices) > 0:
		next = stageMFA
	case user.MustChangePassword:
		next = stageNewPassword
	}
	p.s = c.sessions.start(p.w, p.r, next, user)
	p.redirect(stagePath(next))
	return nil
}

func stagePath(st stage) string {
	switch st {
	case stageMFA:
		return Prefix + "mfa"
	case stageNewPassword:
		return Prefix + "password"
	case stageSignedIn:
		return Prefix + "home"
	}
	return Prefix + "signin"
}

// atStage reports whether the session is at st; if not, it sends the
// browser where the session is.
func (p *page) atStage(st stage) bool {
	have := stageAnonymous
	if p.s != nil {
		p.s.mu.Lock()
		have = p.s.stage
		p.s.mu.Unlock()
	}
	if have != st {
		p.redirect(stagePath(have))
	}
	return have == st
}

// codeForm is what the MFA step shows.
type codeForm struct{ Error string }

func (c *Console) mfaPage(p *page) error {
	if !p.atStage(stageMFA) {
		return nil
	}
	return p.render("mfa", &codeForm{})
}

func (c *Console) mfaCode(p *page) error {
	if !p.atStage(stageMFA) {
		return nil
	}
	user, _, _ := p.s.principal()
	at, ok, err := c.emu.CheckConsoleMFACode(user, p.r.PostFormValue("code"))
	if err != nil {
		return err
	}
	if !ok {
		p.w.WriteHeader(http.StatusUnauthorized)
		p.path = Prefix + "mfa"
		return p.render("mfa", &codeForm{Error: p.T.Get("mfa.failed")})
	}
	next := stageSignedIn
	if user.MustChangePassword {
		next = stageNewPassword
	}
	p.s.advance(next, at)
	p.redirect(stagePath(next))
	return nil
}

// changeForm is what the forced password change shows.
type changeForm struct {
	Action  string // where the form posts
	Expired bool
	Error   string
	Failed  []string // the password policy's rules the new password breaks
	AWS     *errorView
}

func (c *Console) forcedChangePage(p *page) error {
	if !p.atStage(stageNewPassword) {
		return nil
	}
	user, _, _ := p.s.principal()
	return p.render("password", &changeForm{Action: Prefix + "password", Expired: user.Expired})
}

func (c *Console) forcedChange(p *page) error {
	if !p.atStage(stageNewPassword) {
		return nil
	}
	user, mfaTime, _ := p.s.principal()
	form := &changeForm{Action: Prefix + "password", Expired: user.Expired}
	caller, err := c.emu.ConsoleCaller(user.Account, user.UserID, mfaTime)
	if err != nil {
		return err
	}
	if err := c.changePassword(p, caller, form); err != nil {
		return err
	}
	if form.Error != "" || form.AWS != nil {
		p.w.WriteHeader(http.StatusBadRequest)
		p.path = Prefix + "password"
		return p.render("password", form)
	}
	p.s.advance(stageSignedIn, mfaTime)
	p.flash("change.done")
	p.redirect(Prefix + "home")
	return nil
}

// changePassword changes the password of caller, the signed-in user, from
// the form's old, new and confirm fields, as ChangePassword does; what
// fails goes into form: a mismatch, the policy's rules the new password
// breaks, or the AWS error.
func (c *Console) changePassword(p *page, caller wire.Caller, form *changeForm) error {
	old, new := p.r.PostFormValue("old"), p.r.PostFormValue("new")
	if new != p.r.PostFormValue("confirm") {
		form.Error = p.T.Get("change.mismatch")
		return nil
	}
	caller.SourceIP, caller.UserAgent, caller.Secure = peerIP(p.r.RemoteAddr), p.r.UserAgent(), p.r.TLS != nil
	ctx := wire.WithCaller(p.r.Context(), caller)
	_, err := c.emu.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
	var we *wire.Error
	if !errors.As(err, &we) {
		return err
	}
	if we.Code == "PasswordPolicyViolation" {
		rules, err := c.emu.PasswordProblems(ctx, new)
		if err != nil {
			return err
		}
		form.Error = p.T.Get("change.failed")
		for _, r := range rules {
			form.Failed = append(form.Failed, ruleText(p.T, r))
		}
	}
	form.AWS = awsError(we)
	return nil
}

func (c *Console) signOut(p *page) error {
	account := ""
	if user, _, _ := p.s.principal(); user != nil {
		account = user.Account
	}
	c.sessions.end(p.w, p.s)
	p.redirect(Prefix + pathSegment(account))
	return nil
}

// homeView is what the home page shows.
type homeView struct {
	ARN string
	MFA bool
}

func (c *Console) home(p *page) error {
	caller := wire.CallerFrom(p.ctx)
	return p.render("home", &homeView{ARN: caller.ARN, MFA: caller.MFA})
}

// ruleText is what a password policy rule asks; only the rules with a
// number (a length, a count of passwords) are format strings: the others
// hold a literal % among their symbols.
func ruleText(t texts, r emulator.PasswordRule) string {
	if r.N == 0 {
		return t.Get("rule." + r.Rule)
	}
	return t.Get("rule."+r.Rule, r.N)
}

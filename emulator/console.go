package emulator

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
	"golang.org/x/crypto/bcrypt"
)

// What the console (emulator/console) needs from the emulator beyond the
// handlers it calls: mounting, the sign-in decisions (password, MFA code)
// and a Caller that goes through the same authorization as a request
// signed with the user's key. The console keeps no IAM state of its own.

// Mount serves h for every path under prefix, in the handler Handler
// returns: behind the guard, beside IAM, STS and the admin endpoints.
func (e *Emulator) Mount(prefix string, h http.Handler) { e.router.Mount(prefix, h) }

// ConsoleUser is an IAM user whose console password was just checked.
type ConsoleUser struct {
	Account  string
	UserID   string
	UserName string
	// MFADevices are the serial numbers of the user's MFA devices: when
	// there are any, the sign-in asks for a code (CheckConsoleMFACode).
	MFADevices []string
	// MustChangePassword is set when the login profile requires a reset
	// or the password is older than the account policy's MaxPasswordAge
	// (without HardExpiry): the console asks for a new one first.
	MustChangePassword bool
	// Expired is set when MustChangePassword comes from the password's age.
	Expired bool
}

var (
	// ErrConsoleSignInFailed is every refused console sign-in that AWS
	// answers with one text, not saying which part was wrong: an unknown
	// account or alias, an unknown user, a user without a login profile, a
	// wrong password.
	ErrConsoleSignInFailed = errors.New("emulator: console sign-in failed")
	// ErrConsolePasswordExpired is a password past its maximum age when
	// the account's policy sets HardExpiry: only an administrator can
	// reset it.
	ErrConsolePasswordExpired = errors.New("emulator: console password expired (hard expiry)")
	// ErrConsoleSignedOut is a console session whose user is gone.
	ErrConsoleSignedOut = errors.New("emulator: console user no longer exists")
)

// CheckConsolePassword decides a console sign-in's password step as AWS
// does: the account by id or alias, the user, its login profile, the
// password, then the password's age against the account's policy. A
// correct password that may sign in (an expired one without HardExpiry
// may, to change itself) is recorded as the user's PasswordLastUsed.
// Refusals are ErrConsoleSignInFailed or ErrConsolePasswordExpired.
func (e *Emulator) CheckConsolePassword(accountOrAlias, userName, password string) (*ConsoleUser, error) {
	now := e.now()
	var out *ConsoleUser
	err := e.db.View(func(tx *store.Tx) error {
		account, u, err := e.consoleLogin(tx, accountOrAlias, userName)
		if err != nil {
			return err
		}
		if u == nil {
			passwordMatches(e.decoyHash(), password) // as slow as a real check: timing tells nothing
			return ErrConsoleSignInFailed
		}
		if !passwordMatches(u.Login.Hash, password) {
			return ErrConsoleSignInFailed
		}
		policy, err := passwordPolicy(tx, account)
		if err != nil {
			return err
		}
		expired := passwordExpired(policy, u.Login, now)
		out = &ConsoleUser{Account: account, UserID: u.ID, UserName: u.Name, Expired: expired,
			MustChangePassword: expired || u.Login.ResetRequired}
		if expired && policy.HardExpiry != nil && *policy.HardExpiry {
			out.MustChangePassword = false
			return nil
		}
		ds, err := userDevices(tx, u)
		for _, d := range ds {
			out.MFADevices = append(out.MFADevices, serialOf("aws", d))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.Expired && !out.MustChangePassword {
		return nil, ErrConsolePasswordExpired
	}
	if err := e.recordPasswordUse(out, now); err != nil {
		return nil, err
	}
	return out, nil
}

// decoyHash is a hash at the emulator's bcrypt cost, compared against when
// there is no password to compare.
func (e *Emulator) decoyHash() []byte {
	cost := e.opts.passwordCost()
	if h, ok := decoys.Load(cost); ok {
		return h.([]byte)
	}
	h, _ := bcrypt.GenerateFromPassword(prehash("iamlocal decoy"), cost)
	decoys.Store(cost, h)
	return h
}

var decoys sync.Map // bcrypt cost → hash

// consoleLogin is the account a sign-in names and its user of that name,
// nil when there is none or it has no login profile.
func (e *Emulator) consoleLogin(tx *store.Tx, accountOrAlias, userName string) (string, *store.User, error) {
	account, err := e.consoleAccount(tx, accountOrAlias)
	if err != nil || account == "" {
		return "", nil, err
	}
	u, err := tx.User(account, userName)
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Login == nil {
		return account, nil, nil
	}
	return account, u, err
}

// consoleAccount is the account a sign-in names: a 12-digit id as it is
// (an account not served has no users, so its sign-ins fail like any
// other), or the account holding the alias, "" when none does.
func (e *Emulator) consoleAccount(tx *store.Tx, accountOrAlias string) (string, error) {
	if isAccountID(accountOrAlias) {
		return accountOrAlias, nil
	}
	return tx.AliasOwner(accountOrAlias)
}

// ConsoleAccount is the account a console form names by id or alias, ""
// when no account holds the alias.
func (e *Emulator) ConsoleAccount(accountOrAlias string) (string, error) {
	var account string
	err := e.db.View(func(tx *store.Tx) (err error) { account, err = e.consoleAccount(tx, accountOrAlias); return err })
	return account, err
}

// recordPasswordUse sets the user's PasswordLastUsed to now.
func (e *Emulator) recordPasswordUse(cu *ConsoleUser, now time.Time) error {
	return e.db.Update(func(tx *store.Tx) error {
		u, err := tx.UserByID(cu.Account, cu.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrConsoleSignInFailed
		}
		if err != nil {
			return err
		}
		u.PasswordLastUsed = now
		return tx.UpdateUser(u.Name, u)
	})
}

// CheckConsoleMFACode checks a code of one of the user's MFA devices, with
// the same window and the same once-only bookkeeping as the API's
// (acceptMFACode): a code that was used, here or in an STS call, is
// refused. It reports whether the code was accepted, and when.
func (e *Emulator) CheckConsoleMFACode(cu *ConsoleUser, code string) (time.Time, bool, error) {
	now := e.clock.Now()
	accepted := false
	err := e.db.Update(func(tx *store.Tx) error {
		accepted = false
		c := wire.Caller{Account: cu.Account, UserID: cu.UserID}
		for _, serial := range cu.MFADevices {
			if acceptMFACode(tx, c, serial, code, now) {
				accepted = true
				return nil
			}
		}
		return nil
	})
	return now, accepted, err
}

// ConsoleCaller is the Caller the console acts as for the IAM user userID
// of account: the user as its own access key would make it, with the
// authorization state of a request (so every handler authorizes it against
// the user's policies, as for an API call), and, when the console session
// was made with an MFA code (mfaTime not zero), aws:MultiFactorAuthPresent
// and aws:MultiFactorAuthAge as for credentials obtained with MFA. Each
// page calls it once per request. ErrConsoleSignedOut when the user is gone.
func (e *Emulator) ConsoleCaller(account, userID string, mfaTime time.Time) (wire.Caller, error) {
	gen := e.db.DataGeneration()
	var c wire.Caller
	err := e.db.View(func(tx *store.Tx) error {
		u, err := tx.UserByID(account, userID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrConsoleSignedOut
		}
		if err != nil {
			return err
		}
		c = wire.Caller{Account: account, ARN: userARN("aws", account, u.Path, u.Name), UserID: u.ID, MFA: !mfaTime.IsZero()}
		return nil
	})
	if err != nil {
		return wire.Caller{}, err
	}
	k := e.withAuth(wire.Key{Caller: c}, gen)
	if a, ok := k.Caller.Auth.(*requestAuth); ok {
		a.mfaTime = mfaTime
	}
	return k.Caller, nil
}

// consoleMFATime is when the console session of caller c checked its MFA
// code, if it did: a switch role from that session is MFA-authenticated,
// and so is the role session it makes, as in AWS's console.
func consoleMFATime(c wire.Caller) (time.Time, bool) {
	a, ok := c.Auth.(*requestAuth)
	if !ok || !c.MFA || a.mfaTime.IsZero() {
		return time.Time{}, false
	}
	return a.mfaTime, true
}

// addMFAAge sets aws:MultiFactorAuthAge for a console session made with
// MFA, which has no STS session to carry it.
func (a *requestAuth) addMFAAge(ctx map[string][]string, c wire.Caller, now time.Time) {
	if c.MFA && !a.mfaTime.IsZero() {
		ctx["aws:multifactorauthage"] = []string{strconv.FormatInt(int64(now.Sub(a.mfaTime)/time.Second), 10)}
	}
}

// PasswordRule is one rule of the account's password policy (or of AWS's
// default policy) that a new password breaks.
type PasswordRule struct {
	Rule string // MinimumLength, RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols, ReusePrevention, ThreeOfFourKinds
	N    int    // the length or the number of earlier passwords, for MinimumLength and ReusePrevention
}

// PasswordProblems lists what the calling IAM user's new password breaks
// in the account's password policy: the checks ChangePassword makes,
// spelled out where ChangePassword answers only PasswordPolicyViolation.
func (e *Emulator) PasswordProblems(ctx context.Context, password string) ([]PasswordRule, error) {
	c := callerOf(ctx)
	var rules []PasswordRule
	err := e.db.View(func(tx *store.Tx) error {
		u, err := targetUser(tx, c, nil)
		if err != nil {
			return err
		}
		policy, err := passwordPolicy(tx, c.Account)
		if err == nil {
			rules = passwordFailures(policy, u, password)
		}
		return err
	})
	return rules, err
}

package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
	"unicode"

	"github.com/iamlocal/iamlocal/store"
	"golang.org/x/crypto/bcrypt"
)

// hashPassword is bcrypt over the password's SHA-256: bcrypt reads only 72
// bytes, and IAM passwords run to 128 characters (256 bytes in UTF-8).
func (e *Emulator) hashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword(prehash(password), e.opts.passwordCost())
}

func passwordMatches(hash []byte, password string) bool {
	return bcrypt.CompareHashAndPassword(hash, prehash(password)) == nil
}

func prehash(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(base64.StdEncoding.EncodeToString(sum[:]))
}

// symbols are the characters AWS counts as symbols in passwords.
const symbols = "!@#$%^&*()_+-=[]{}|'"

// characterClasses reports which of AWS's four character types password
// has: uppercase, lowercase, numbers and symbols (ISO basic Latin only).
func characterClasses(password string) (upper, lower, number, symbol bool) {
	for _, r := range password {
		switch {
		case r < unicode.MaxASCII && unicode.IsUpper(r):
			upper = true
		case r < unicode.MaxASCII && unicode.IsLower(r):
			lower = true
		case r >= '0' && r <= '9':
			number = true
		case strings.ContainsRune(symbols, r):
			symbol = true
		}
	}
	return
}

// checkPassword applies the account's password policy to a new password
// for u; with no policy, AWS's default one: at least 8 characters and
// three of the four character types.
func checkPassword(policy *store.PasswordPolicy, u *store.User, password string) error {
	if len(passwordFailures(policy, u, password)) > 0 {
		return passwordPolicyViolation()
	}
	return nil
}

// passwordFailures are the rules of the policy (or of the default one)
// that password breaks.
func passwordFailures(policy *store.PasswordPolicy, u *store.User, password string) []PasswordRule {
	upper, lower, number, symbol := characterClasses(password)
	length := len([]rune(password))
	if policy == nil {
		kinds := 0
		for _, has := range []bool{upper, lower, number, symbol} {
			if has {
				kinds++
			}
		}
		var failed []PasswordRule
		if length < 8 {
			failed = append(failed, PasswordRule{Rule: "MinimumLength", N: 8})
		}
		if kinds < 3 {
			failed = append(failed, PasswordRule{Rule: "ThreeOfFourKinds"})
		}
		return failed
	}
	var failed []PasswordRule
	if length < policy.MinimumLength {
		failed = append(failed, PasswordRule{Rule: "MinimumLength", N: policy.MinimumLength})
	}
	for _, r := range []struct {
		required, has bool
		rule          string
	}{
		{policy.RequireUppercase, upper, "RequireUppercase"},
		{policy.RequireLowercase, lower, "RequireLowercase"},
		{policy.RequireNumbers, number, "RequireNumbers"},
		{policy.RequireSymbols, symbol, "RequireSymbols"},
	} {
		if r.required && !r.has {
			failed = append(failed, PasswordRule{Rule: r.rule})
		}
	}
	for i, old := range u.PasswordHistory {
		if i >= policy.ReusePrevention {
			break
		}
		if passwordMatches(old, password) {
			failed = append(failed, PasswordRule{Rule: "ReusePrevention", N: policy.ReusePrevention})
			break
		}
	}
	return failed
}

// maxPasswordHistory is the largest PasswordReusePrevention AWS allows.
const maxPasswordHistory = 24

// setPassword gives u the new password hash, remembering it for reuse
// prevention.
func setPassword(u *store.User, hash []byte, now time.Time, resetRequired bool) {
	if u.Login == nil {
		u.Login = &store.LoginProfile{Created: now}
	}
	u.Login.Hash, u.Login.Changed, u.Login.ResetRequired = hash, now, resetRequired
	u.PasswordHistory = append([][]byte{hash}, u.PasswordHistory...)
	if len(u.PasswordHistory) > maxPasswordHistory {
		u.PasswordHistory = u.PasswordHistory[:maxPasswordHistory]
	}
}

// passwordExpired reports whether u's password is older than the policy's
// maximum age.
func passwordExpired(policy *store.PasswordPolicy, login *store.LoginProfile, now time.Time) bool {
	return policy != nil && policy.MaxAge > 0 && now.Sub(login.Changed) > time.Duration(policy.MaxAge)*24*time.Hour
}

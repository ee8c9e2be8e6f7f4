package console

import "fmt"

// texts is the console's wording in one language.
type texts struct {
	lang string
	m    map[string]string
}

// Get is the text for key, formatted with args; a missing key shows as
// itself (and fails TestMessagesComplete).
func (t texts) Get(key string, args ...any) string {
	s, ok := t.m[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func textsIn(lang string) (texts, bool) {
	m, ok := messages[lang]
	if !ok {
		return texts{lang: "en", m: messages["en"]}, false
	}
	return texts{lang: lang, m: m}, true
}

// messages are every text of the console, one table per language, with
// the same keys. AWS's own error texts are not here: pages show them as
// the handlers return them.
var messages = map[string]map[string]string{
	"en": {
		"app.name":              "iamlocal console",
		"lang.switch":           "日本語",
		"lang.other":            "ja",
		"nav.home":              "Home",
		"nav.credentials":       "Security credentials",
		"nav.signout":           "Sign out",
		"nav.signedinas":        "Signed in as",
		"nav.account":           "Account",
		"signin.title":          "Sign in as IAM user",
		"signin.account":        "Account ID (12 digits) or account alias",
		"signin.user":           "IAM user name",
		"signin.password":       "Password",
		"signin.submit":         "Sign in",
		"signin.failed":         "Your authentication information is incorrect. Please try again.",
		"signin.expired":        "Your password has expired. An administrator must reset it before you can sign in.",
		"signin.signedout":      "You have signed out.",
		"signin.hint":           "A local emulator of AWS IAM: no real AWS account is involved.",
		"mfa.title":             "Multi-factor authentication",
		"mfa.prompt":            "Enter a code from the MFA device assigned to your user.",
		"mfa.code":              "MFA code",
		"mfa.submit":            "Submit",
		"mfa.failed":            "The MFA code is not valid. Wait for a new code and try again.",
		"mfa.cancel":            "Cancel",
		"change.title":          "Change your password",
		"change.reset":          "Your administrator requires you to set a new password before you continue.",
		"change.expired":        "Your password has expired. Set a new password to continue.",
		"change.old":            "Old password",
		"change.new":            "New password",
		"change.confirm":        "Confirm new password",
		"change.submit":         "Change password",
		"change.mismatch":       "The new password and its confirmation do not match.",
		"change.failed":         "The new password does not meet the account's password policy:",
		"change.done":           "Your password has been changed.",
		"rule.MinimumLength":    "At least %d characters",
		"rule.RequireUppercase": "At least one uppercase letter (A–Z)",
		"rule.RequireLowercase": "At least one lowercase letter (a–z)",
		"rule.RequireNumbers":   "At least one number (0–9)",
		"rule.RequireSymbols":   "At least one symbol: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '",
		"rule.ReusePrevention":  "Not one of your last %d passwords",
		"rule.ThreeOfFourKinds": "At least three of: uppercase letters, lowercase letters, numbers, symbols",
		"home.title":            "Welcome",
		"home.intro":            "You are signed in to the iamlocal console. Everything you do here is an IAM call as your user, allowed or denied by your policies exactly as with your access keys.",
		"home.arn":              "Your ARN",
		"home.mfa":              "Signed in with MFA",
		"home.nomfa":            "Signed in without MFA",
		"error.title":           "Something went wrong",
		"error.internal":        "The console could not complete the request. The server log has the details.",
		"error.csrf":            "This form has expired or did not come from this console. Reload the page and try again.",
		"error.back":            "Back",
		"creds.title":           "My security credentials",
		"common.yes":            "Yes",
		"common.no":             "No",
	},
	"ja": {
		"app.name":              "iamlocal コンソール",
		"lang.switch":           "English",
		"lang.other":            "en",
		"nav.home":              "ホーム",
		"nav.credentials":       "セキュリティ認証情報",
		"nav.signout":           "サインアウト",
		"nav.signedinas":        "サインイン中",
		"nav.account":           "アカウント",
		"signin.title":          "IAM ユーザーとしてサインイン",
		"signin.account":        "アカウント ID (12 桁) またはアカウントエイリアス",
		"signin.user":           "IAM ユーザー名",
		"signin.password":       "パスワード",
		"signin.submit":         "サインイン",
		"signin.failed":         "認証情報が正しくありません。もう一度お試しください。",
		"signin.expired":        "パスワードの有効期限が切れています。サインインするには管理者にパスワードをリセットしてもらう必要があります。",
		"signin.signedout":      "サインアウトしました。",
		"signin.hint":           "AWS IAM のローカルエミュレーターです。実際の AWS アカウントは使いません。",
		"mfa.title":             "多要素認証",
		"mfa.prompt":            "ユーザーに割り当てられた MFA デバイスのコードを入力してください。",
		"mfa.code":              "MFA コード",
		"mfa.submit":            "送信",
		"mfa.failed":            "MFA コードが正しくありません。新しいコードが表示されるのを待ってから、もう一度お試しください。",
		"mfa.cancel":            "キャンセル",
		"change.title":          "パスワードの変更",
		"change.reset":          "続行する前に新しいパスワードを設定するよう管理者が求めています。",
		"change.expired":        "パスワードの有効期限が切れています。続行するには新しいパスワードを設定してください。",
		"change.old":            "現在のパスワード",
		"change.new":            "新しいパスワード",
		"change.confirm":        "新しいパスワード (確認)",
		"change.submit":         "パスワードを変更",
		"change.mismatch":       "新しいパスワードと確認用のパスワードが一致しません。",
		"change.failed":         "新しいパスワードがアカウントのパスワードポリシーを満たしていません:",
		"change.done":           "パスワードを変更しました。",
		"rule.MinimumLength":    "%d 文字以上",
		"rule.RequireUppercase": "大文字 (A–Z) を 1 文字以上",
		"rule.RequireLowercase": "小文字 (a–z) を 1 文字以上",
		"rule.RequireNumbers":   "数字 (0–9) を 1 文字以上",
		"rule.RequireSymbols":   "記号を 1 文字以上: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '",
		"rule.ReusePrevention":  "過去 %d 回分のパスワードと異なること",
		"rule.ThreeOfFourKinds": "大文字・小文字・数字・記号のうち 3 種類以上",
		"home.title":            "ようこそ",
		"home.intro":            "iamlocal コンソールにサインインしました。ここでの操作はすべてあなたのユーザーとしての IAM 呼び出しで、アクセスキーを使うときと同じくポリシーによって許可または拒否されます。",
		"home.arn":              "あなたの ARN",
		"home.mfa":              "MFA を使ってサインインしています",
		"home.nomfa":            "MFA を使わずにサインインしています",
		"error.title":           "エラーが発生しました",
		"error.internal":        "コンソールはリクエストを完了できませんでした。詳細はサーバーのログにあります。",
		"error.csrf":            "このフォームは期限切れか、このコンソールから送信されたものではありません。ページを再読み込みしてもう一度お試しください。",
		"error.back":            "戻る",
		"creds.title":           "自分のセキュリティ認証情報",
		"common.yes":            "はい",
		"common.no":             "いいえ",
	},
}

// Package console is the sign-in console iamlocal serves at /console/: a
// client of the emulator, not a second implementation. It renders
// server-side HTML (html/template, embedded templates and CSS, no
// JavaScript) and calls the emulator's own handlers, such as
// e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}), with a context
// carrying the signed-in principal, so every page goes through the same
// authorization as an API call. It keeps no IAM state of its own: only
// its sessions, in memory (a restart signs everyone out).
//
// # Adding a page
//
// A signed-in page is a method of Console with the signature of
// pageHandler, registered in routes (console.go) with c.page:
//
//	c.page("GET /console/iam/users", c.users)
//
//	func (c *Console) users(p *page) error {
//		out, err := c.emu.ListUsers(p.ctx, &iam.ListUsersInput{})
//		if err != nil {
//			return err // an AWS error (AccessDenied…) is shown in the page
//		}
//		return p.render("users", out)
//	}
//
// with its template in templates/users.html defining "content" (the layout
// in templates/layout.html wraps it) and its texts under keys of its own
// in both tables of messages.go, read in templates as {{.T.Get "key"}}.
// Forms post to the console itself and carry the session's CSRF token:
// {{template "csrf" .}} inside each <form method="post">; c.page checks it
// on every POST. After a successful POST, redirect (p.redirect) and put a
// notice in p.flash. Public pages (sign-in and its steps) use c.public.
//
// # Acting as the signed-in principal
//
// p.ctx carries the caller (wire.WithCaller) that
// Emulator.ConsoleCaller made for the signed-in IAM user, with the
// authorization state of a request signed with that user's key, and
// aws:MultiFactorAuthPresent when the user signed in with an MFA code. After
// a switch role (p.s.switchTo(accessKeyID, roleName) with the temporary
// key AssumeRole returned), p.ctx carries that role session's caller
// (Emulator.LookupKey) instead, and the header shows the role's name; an
// expired role session switches back to the user by itself.
// A handler's *wire.Error (AccessDenied, NoSuchEntity, LimitExceeded…) is
// the page's answer, with AWS's text; any other error is a bug, logged and
// shown as a generic failure.
//
// The console must not know IAM: no store access, no policy evaluation,
// no message texts of AWS's (those come from the handlers' errors).
package console

package console

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamlocal/iamlocal/wire"
)

// The IAM views: users, groups, roles and policies, each as a list and a
// details page, and the forms of the hands-ons' common steps. Every page
// is the API actions of the same name called as the signed-in principal,
// so a principal without the permission sees AWS's AccessDenied text.
// A form's fields are decoded by wire.Decode as the API decodes a request,
// so a form is refused with the API's ValidationError where the API would
// refuse it.

const iamPath = Prefix + "iam/"

func (c *Console) viewRoutes() {
	for pattern, h := range map[string]pageHandler{
		"GET " + iamPath + "users":                       c.users,
		"POST " + iamPath + "users":                      c.createUser,
		"GET " + iamPath + "users/{name}":                c.user,
		"POST " + iamPath + "users/{name}/groups":        c.addUserToGroup,
		"POST " + iamPath + "users/{name}/groups/remove": c.removeUserFromGroup,
		"GET " + iamPath + "groups":                      c.groups,
		"POST " + iamPath + "groups":                     c.createGroup,
		"GET " + iamPath + "groups/{name}":               c.group,
		"POST " + iamPath + "groups/{name}/users":        c.addGroupMember,
		"POST " + iamPath + "groups/{name}/users/remove": c.removeGroupMember,
		"GET " + iamPath + "roles":                       c.roles,
		"GET " + iamPath + "roles/{name}":                c.role,
		"GET " + iamPath + "policies":                    c.policies,
		"GET " + iamPath + "policy/{arn...}":             c.policy,
		"GET " + iamPath + "attach/{kind}/{name}":        c.attachPage,
		"POST " + iamPath + "attach/{kind}/{name}":       c.attach,
		"POST " + iamPath + "detach/{kind}/{name}":       c.detach,
		"GET " + Prefix + "switchrole":                   c.switchRolePage,
		"POST " + Prefix + "switchrole":                  c.switchRole,
		"POST " + Prefix + "switchback":                  c.switchBackToUser,
	} {
		c.page(pattern, h)
	}
}

// listing is one listing of a details page: its rows, or the AWS error
// that refused it (the rest of the page still shows).
type listing[T any] struct {
	Rows  []T
	Error *errorView
}

// listingOf is rows, or err as the listing shows it when it is an AWS
// error; other errors are returned for finish.
func listingOf[T any](rows []T, err error) (listing[T], error) {
	if err != nil {
		ev, err := asAWSError(err)
		return listing[T]{Error: ev}, err
	}
	return listing[T]{Rows: rows}, nil
}

// maxItems is the page size the views ask list actions for: the most
// the API gives.
var maxItems = aws.Int32(1000)

// everything is every item of a list action, page after page: next calls
// the action from marker (nil first) and returns its items and, when the
// list goes on, the next marker.
func everything[T any](next func(marker *string) ([]T, *string, error)) ([]T, error) {
	var all []T
	var marker *string
	for {
		items, more, err := next(marker)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if more == nil {
			return all, nil
		}
		marker = more
	}
}

// moreAfter is the marker a truncated page gives, nil at the end.
func moreAfter(truncated bool, marker *string) *string {
	if !truncated {
		return nil
	}
	return marker
}

// decodeForm is a handler's input from form fields, checked as the API
// checks a request.
func decodeForm[I any](fields ...string) (*I, error) {
	form := url.Values{}
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] != "" {
			form.Set(fields[i], fields[i+1])
		}
	}
	return wire.Decode[I](form)
}

// prettyDocument is a policy document as IAM returns it (URL-encoded
// JSON) indented for reading; a document that is not JSON shows as it is.
func prettyDocument(encoded *string) string {
	if encoded == nil {
		return ""
	}
	doc, err := url.PathUnescape(*encoded)
	if err != nil {
		doc = *encoded
	}
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(doc), "", "  ") != nil {
		return doc
	}
	return buf.String()
}

// partitionOf is the partition of the signed-in principal's ARN.
func (p *page) partitionOf() string { return partitionOfARN(wire.CallerFrom(p.ctx).ARN) }

func partitionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[1] == "" {
		return "aws"
	}
	return parts[1]
}

// answer finishes a form's POST: on success a notice and back to the page
// at back; an AWS error shows again with again, as the page it came from.
func (p *page) answer(err error, back, notice string, again func(failed *errorView) error) error {
	if err != nil {
		ev, err := asAWSError(err)
		if err != nil {
			return err
		}
		p.w.WriteHeader(failedStatus(ev))
		return again(ev)
	}
	p.flash(notice)
	p.redirect(back)
	return nil
}

// notFound answers a console path that names nothing.
func (p *page) notFound() error {
	http.NotFound(p.w, p.r)
	return nil
}

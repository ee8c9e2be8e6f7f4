// Package conformance drives iamlocal with the real aws-sdk-go-v2 IAM and
// STS clients, as a user's program would: every implemented action, its
// success shape and each error path (code, HTTP status and message), and
// the users' journeys. The tests run against an in-process server by
// default, or against the server at IAMLOCAL_ENDPOINT (root key "test",
// secret "test"; its state is reset before each test).
package conformance

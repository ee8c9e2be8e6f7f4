// Package emulator owns IAM and STS semantics: what each action does, its
// quotas, its errors, who may call it, and the identities and keys that
// requests authenticate with. It speaks to clients only through wire
// (typed handlers registered in routes.go) and keeps state only through
// store (one transaction per request).
package emulator

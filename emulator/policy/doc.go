// Package policy owns the IAM policy language: it parses a policy document
// into a typed form, validates identity-based policies (managed, inline and
// permissions boundaries) exactly as AWS does, and measures a document as
// AWS counts it for its size quotas. The policy engine compiles the same
// parsed form once (Compile) and decides requests against it (Evaluate)
// with AWS's evaluation logic, reading no JSON and no clock on the way.
//
// It must not know the store or the wire: it takes strings and returns
// values, and a document AWS refuses comes back as an *Error whose Message
// the emulator answers verbatim as 400 MalformedPolicyDocument.
package policy

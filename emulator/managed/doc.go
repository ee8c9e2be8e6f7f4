// Package managed owns the catalogue of AWS managed policies
// (arn:aws:iam::aws:policy/…): the snapshot AWS publishes, embedded in the
// binary and decoded on first use, so a server that never asks for one
// starts as fast and stays as small as before.
//
// It knows nothing of accounts, attachments, requests or storage: the
// emulator counts attachments per account and answers the IAM actions.
// Policies it returns are shared and must not be modified.
package managed

// Package docs holds the hands-on guide (handson.md, and ja/handson.md in
// Japanese). It has no code: its test runs every command of the guide with
// aws-cli against a fresh iamlocal and compares what they print with what
// the guide shows, so the guide cannot drift from the emulator.
package docs

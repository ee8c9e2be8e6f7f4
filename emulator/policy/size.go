package policy

import "unicode"

// Size is a document's size as IAM counts it against its quotas: its
// characters, not counting white space. Inline policies count the sum over
// a principal's policies (users 2,048, groups 5,120, roles 10,240), a
// managed policy itself (6,144).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func Size(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

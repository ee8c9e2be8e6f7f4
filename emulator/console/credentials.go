package console

// credentials is the "My security credentials" page of the signed-in user.
func (c *Console) credentials(p *page) error {
	return p.render("credentials", nil)
}

// newAccessKey is an access key just created: its secret is shown once.
type newAccessKey struct {
	ID, Secret, UserName string
	shown                bool
}

// pendingMFA is a virtual MFA device created for the user and not yet
// enabled.
type pendingMFA struct {
	Serial, Seed string
	QRPNG        []byte
}

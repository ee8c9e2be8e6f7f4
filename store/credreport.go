package store

import "time"

var keyCredentialReport = []byte("credreport") // in bucketSettings

// CredentialReport is the account's last credential report: the CSV as it
// was generated, and when.
type CredentialReport struct {
	Generated time.Time `json:"generated"`
	Content   string    `json:"content"`
}

// CredentialReport loads the account's last credential report, or
// ErrNotFound when none was generated.
func (tx *Tx) CredentialReport(account string) (*CredentialReport, error) {
	b, err := tx.account(account, bucketSettings, false)
	if err != nil {
		return nil, err
	}
	r := &CredentialReport{}
	if err := get(b, keyCredentialReport, r); err != nil {
		return nil, err
	}
	return r, nil
}

// PutCredentialReport stores the account's credential report, replacing
// the one it had.
func (tx *Tx) PutCredentialReport(account string, r *CredentialReport) error {
	b, err := tx.account(account, bucketSettings, true)
	if err != nil {
		return err
	}
	return tx.put(b, keyCredentialReport, r)
}

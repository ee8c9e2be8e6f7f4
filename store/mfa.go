package store

import "time"

var bucketMFA = []byte("mfa") // fold(name) → MFADevice

// MFADevice is a virtual MFA device. Seed is its TOTP secret (base32): it
// is returned once, at creation, and never logged. Its serial number is its
// ARN, which the emulator builds in the partition of each request (files
// written before that keep a "serial" field that is no longer read).
type MFADevice struct {
	Account string    `json:"-"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	Seed    string    `json:"seed"`
	Created time.Time `json:"created"`
	Tags    []Tag     `json:"tags,omitempty"`
	// UserID is the user the device is enabled for; empty while unassigned.
	UserID  string    `json:"user,omitempty"`
	Enabled time.Time `json:"enabled,omitzero"`
	// LastStep is the last TOTP time step a code was accepted for: codes of
	// that step or earlier are refused, so no code works twice.
	LastStep int64 `json:"laststep,omitempty"`
	// Drift is how many steps the device runs ahead of the clock (negative:
	// behind), as the last resync measured it.
	Drift int64 `json:"drift,omitempty"`
}

// MFADevice loads the virtual MFA device named name (any case).
func (tx *Tx) MFADevice(account, name string) (*MFADevice, error) {
	b, err := tx.account(account, bucketMFA, false)
	if err != nil {
		return nil, err
	}
	d := &MFADevice{Account: account}
	if err := get(b, fold(name), d); err != nil {
		return nil, err
	}
	return d, nil
}

// CreateMFADevice stores a new device, or answers ErrExists when the name
// is taken in any case.
func (tx *Tx) CreateMFADevice(d *MFADevice) error {
	b, err := tx.account(d.Account, bucketMFA, true)
	if err != nil {
		return err
	}
	if b.Get(fold(d.Name)) != nil {
		return ErrExists
	}
	return tx.put(b, fold(d.Name), d)
}

// PutMFADevice stores a changed device.
func (tx *Tx) PutMFADevice(d *MFADevice) error {
	b, err := tx.account(d.Account, bucketMFA, true)
	if err != nil {
		return err
	}
	return tx.put(b, fold(d.Name), d)
}

// DeleteMFADevice removes a device.
func (tx *Tx) DeleteMFADevice(d *MFADevice) error {
	b, err := tx.account(d.Account, bucketMFA, false)
	if err != nil || b == nil {
		return ErrNotFound
	}
	return tx.del(b, fold(d.Name))
}

// MFADevices calls fn for each device of the account in name order
// (case-folded), starting after the folded name after, until fn returns
// false.
func (tx *Tx) MFADevices(account, after string, fn func(*MFADevice) (bool, error)) error {
	b, err := tx.account(account, bucketMFA, false)
	if err != nil {
		return err
	}
	return each(b, fold(after), func(_ []byte, d *MFADevice) (bool, error) {
		d.Account = account
		return fn(d)
	})
}

package emulator

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
	"github.com/pquerna/otp"
)

// maxMFADevicesPerUser is the MFADevicesPerUser quota.
const maxMFADevicesPerUser = 8

func mfaARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":mfa" + path + name
}

// serialOf is a device's serial number (its ARN) in partition.
func serialOf(partition string, d *store.MFADevice) string {
	return mfaARN(partition, d.Account, d.Path, d.Name)
}

// deviceBySerial loads the virtual MFA device whose serial number (its ARN
// in partition) is serial, or AWS's NoSuchEntity for it.
func deviceBySerial(tx *store.Tx, partition, account, serial string) (*store.MFADevice, error) {
	if !strings.HasPrefix(serial, mfaARN(partition, account, "/", "")) {
		return nil, noSuchMFADevice(serial)
	}
	d, err := tx.MFADevice(account, lastSegment(serial))
	if errors.Is(err, store.ErrNotFound) || err == nil && !strings.EqualFold(serialOf(partition, d), serial) {
		return nil, noSuchMFADevice(serial)
	}
	return d, err
}

// mfaIssuer is who authenticator apps show a device made through AWS as
// coming from: "Amazon Web Services (name@account)".
const mfaIssuer = "Amazon Web Services"

// otpauthURI is the key URI of a new device: AWS documents
// otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String,
// and apps show AWS's devices with the issuer, so the label carries it
// too. The account part is the account alias when one is set, else the
// account id (accountLabel).
func otpauthURI(name, accountLabel, seed string) string {
	q := url.Values{"secret": {seed}, "issuer": {mfaIssuer}}
	return "otpauth://totp/" + url.PathEscape(mfaIssuer+":"+name+"@"+accountLabel) + "?" + q.Encode()
}

// qrCode is the PNG of the device's otpauth URI.
func qrCode(name, accountLabel, seed string) ([]byte, error) {
	key, err := otp.NewKeyFromURL(otpauthURI(name, accountLabel, seed))
	if err != nil {
		return nil, err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = png.Encode(&buf, img)
	return buf.Bytes(), err
}

func (e *Emulator) CreateVirtualMFADevice(ctx context.Context, in *iam.CreateVirtualMFADeviceInput) (*iam.CreateVirtualMFADeviceOutput, error) {
	c := callerOf(ctx)
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	d := &store.MFADevice{Account: c.Account, Name: *in.VirtualMFADeviceName, Path: aws.ToString(in.Path), Seed: newSeed(), Created: e.now(), Tags: tags}
	if d.Path == "" {
		d.Path = "/"
	}
	serial := serialOf(partition(c), d)
	png, err := e.createVirtualDevice(c, d, serial)
	if err != nil {
		return nil, err
	}
	return &iam.CreateVirtualMFADeviceOutput{VirtualMFADevice: &types.VirtualMFADevice{
		SerialNumber: aws.String(serial), Base32StringSeed: []byte(d.Seed), QRCodePNG: png,
	}}, nil
}

// createVirtualDevice stores d and returns its QR code, which names the
// account by its alias. Drawing the code is CPU work kept out of the write
// transaction: it is drawn from a read, and the write checks that the
// alias is still the one drawn, drawing again in the rare case it is not.
func (e *Emulator) createVirtualDevice(c wire.Caller, d *store.MFADevice, serial string) ([]byte, error) {
	for {
		label, err := e.viewAccountLabel(c.Account)
		if err != nil {
			return nil, err
		}
		png, err := qrCode(d.Name, label, d.Seed)
		if err != nil {
			return nil, err
		}
		err = e.db.Update(func(tx *store.Tx) error {
			if err := authorize(tx, c, "iam:CreateVirtualMFADevice", serial, requestTagKeys(d.Tags)...); err != nil {
				return err
			}
			if now, err := accountLabel(tx, c.Account); err != nil {
				return err
			} else if now != label {
				return errLabelChanged
			}
			if err := tx.CreateMFADevice(d); errors.Is(err, store.ErrExists) {
				return mfaDeviceExists()
			} else if err != nil {
				return err
			}
			return nil
		})
		if !errors.Is(err, errLabelChanged) {
			return png, err
		}
	}
}

func (e *Emulator) ListVirtualMFADevices(ctx context.Context, in *iam.ListVirtualMFADevicesInput) (*iam.ListVirtualMFADevicesOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListVirtualMFADevices", in.Marker)
	if err != nil {
		return nil, err
	}
	limit := pageSize(in.MaxItems)
	out := &iam.ListVirtualMFADevicesOutput{VirtualMFADevices: []types.VirtualMFADevice{}}
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListVirtualMFADevices", "*"); err != nil {
			return err
		}
		return tx.MFADevices(c.Account, after, func(d *store.MFADevice) (bool, error) {
			assigned := d.UserID != ""
			if in.AssignmentStatus == types.AssignmentStatusTypeAssigned && !assigned ||
				in.AssignmentStatus == types.AssignmentStatusTypeUnassigned && assigned {
				return true, nil
			}
			if len(out.VirtualMFADevices) == limit {
				out.IsTruncated = true
				out.Marker = encodeMarker("ListVirtualMFADevices", store.FoldName(lastSegment(*out.VirtualMFADevices[limit-1].SerialNumber)))
				return false, nil
			}
			item := types.VirtualMFADevice{SerialNumber: aws.String(serialOf(partition(c), d))}
			if assigned {
				u, err := tx.UserByID(d.Account, d.UserID)
				if err != nil {
					return false, err
				}
				item.User, item.EnableDate = userOut(partition(c), u, false), aws.Time(d.Enabled)
			}
			out.VirtualMFADevices = append(out.VirtualMFADevices, item)
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// userDevices is the devices enabled for u.
func userDevices(tx *store.Tx, u *store.User) ([]*store.MFADevice, error) {
	var ds []*store.MFADevice
	err := tx.MFADevices(u.Account, "", func(d *store.MFADevice) (bool, error) {
		if d.UserID == u.ID {
			ds = append(ds, d)
		}
		return true, nil
	})
	return ds, err
}

func (e *Emulator) EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput) (*iam.EnableMFADeviceOutput, error) {
	c := callerOf(ctx)
	now := e.clock.Now() // once, outside the Update, which may run twice
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:EnableMFADevice")
		if err != nil {
			return err
		}
		d, err := deviceBySerial(tx, partition(c), c.Account, *in.SerialNumber)
		if err != nil {
			return err
		}
		if d.UserID != "" {
			return mfaDeviceInUse()
		}
		if have, err := userDevices(tx, u); err != nil {
			return err
		} else if len(have) >= maxMFADevicesPerUser {
			return quotaExceeded("MFADevicesPerUser", maxMFADevicesPerUser)
		}
		if !enableCodes(d, *in.AuthenticationCode1, *in.AuthenticationCode2, now) {
			return invalidAuthenticationCode()
		}
		d.UserID, d.Enabled = u.ID, now.Truncate(time.Second)
		return tx.PutMFADevice(d)
	})
	if err != nil {
		return nil, err
	}
	return &iam.EnableMFADeviceOutput{}, nil
}

// assignedDevice loads the device serial, which must be enabled for the
// user an action names (or the calling user); anything else is AWS's
// NoSuchEntity for the serial.
func assignedDevice(tx *store.Tx, c wire.Caller, userName *string, serial, action string) (*store.User, *store.MFADevice, error) {
	var u *store.User
	if userName != nil || !c.Root {
		var err error
		if u, err = authorizedTargetUser(tx, c, userName, action); err != nil {
			return nil, nil, err
		}
	}
	d, err := deviceBySerial(tx, partition(c), c.Account, serial)
	if err != nil {
		return nil, nil, err
	}
	if u == nil || d.UserID != u.ID {
		return nil, nil, noSuchMFADevice(serial) // root's own devices are not modelled
	}
	return u, d, nil
}

func (e *Emulator) ResyncMFADevice(ctx context.Context, in *iam.ResyncMFADeviceInput) (*iam.ResyncMFADeviceOutput, error) {
	c := callerOf(ctx)
	now := e.clock.Now()
	err := e.db.Update(func(tx *store.Tx) error {
		_, d, err := assignedDevice(tx, c, in.UserName, *in.SerialNumber, "iam:ResyncMFADevice")
		if err != nil {
			return err
		}
		if !resyncCodes(d, *in.AuthenticationCode1, *in.AuthenticationCode2, now) {
			return invalidAuthenticationCode()
		}
		return tx.PutMFADevice(d)
	})
	if err != nil {
		return nil, err
	}
	return &iam.ResyncMFADeviceOutput{}, nil
}

func (e *Emulator) DeactivateMFADevice(ctx context.Context, in *iam.DeactivateMFADeviceInput) (*iam.DeactivateMFADeviceOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		_, d, err := assignedDevice(tx, c, in.UserName, *in.SerialNumber, "iam:DeactivateMFADevice")
		if err != nil {
			return err
		}
		d.UserID, d.Enabled = "", time.Time{}
		return tx.PutMFADevice(d)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeactivateMFADeviceOutput{}, nil
}

func (e *Emulator) DeleteVirtualMFADevice(ctx context.Context, in *iam.DeleteVirtualMFADeviceInput) (*iam.DeleteVirtualMFADeviceOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		d, err := deviceBySerial(tx, partition(c), c.Account, *in.SerialNumber)
		if err != nil {
			return missingAuthorized(tx, c, "iam:DeleteVirtualMFADevice", *in.SerialNumber, err)
		}
		if err := authorize(tx, c, "iam:DeleteVirtualMFADevice", serialOf(partition(c), d)); err != nil {
			return err
		}
		if d.UserID != "" {
			return deleteConflict("deactivate MFA device")
		}
		return tx.DeleteMFADevice(d)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteVirtualMFADeviceOutput{}, nil
}

func (e *Emulator) ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput) (*iam.ListMFADevicesOutput, error) {
	c := callerOf(ctx)
	var items []types.MFADevice
	err := e.db.View(func(tx *store.Tx) error {
		if in.UserName == nil && c.Root {
			return authorize(tx, c, "iam:ListMFADevices", c.ARN) // root's own devices are not modelled
		}
		u, err := authorizedTargetUser(tx, c, in.UserName, "iam:ListMFADevices")
		if err != nil {
			return err
		}
		ds, err := userDevices(tx, u)
		for _, d := range ds {
			items = append(items, types.MFADevice{UserName: aws.String(u.Name), SerialNumber: aws.String(serialOf(partition(c), d)), EnableDate: aws.Time(d.Enabled)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListMFADevices", items, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListMFADevicesOutput{MFADevices: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) GetMFADevice(ctx context.Context, in *iam.GetMFADeviceInput) (*iam.GetMFADeviceOutput, error) {
	c := callerOf(ctx)
	var out *iam.GetMFADeviceOutput
	err := e.db.View(func(tx *store.Tx) error {
		u, d, err := assignedDevice(tx, c, in.UserName, *in.SerialNumber, "iam:GetMFADevice")
		if err == nil {
			out = &iam.GetMFADeviceOutput{UserName: aws.String(u.Name), SerialNumber: aws.String(serialOf(partition(c), d)), EnableDate: aws.Time(d.Enabled)}
		}
		return err
	})
	return out, err
}

// taggedDevice loads a device for a tag action, authorized.
func taggedDevice(tx *store.Tx, c wire.Caller, serial, action string, keys ...requestKey) (*store.MFADevice, error) {
	d, err := deviceBySerial(tx, partition(c), c.Account, serial)
	if err != nil {
		return nil, missingAuthorized(tx, c, action, serial, err)
	}
	return d, authorize(tx, c, action, serialOf(partition(c), d), append(resourceTagKeys(d.Tags, false), keys...)...)
}

// deviceTags is the virtual MFA devices' taggable family, named by serial
// number.
var deviceTags = taggable[store.MFADevice]{
	quota: "TagsPerMFADevice", list: "ListMFADeviceTags",
	load: taggedDevice,
	tags: func(d *store.MFADevice) *[]store.Tag { return &d.Tags },
	save: func(tx *store.Tx, d *store.MFADevice) error { return tx.PutMFADevice(d) },
}

func (e *Emulator) TagMFADevice(ctx context.Context, in *iam.TagMFADeviceInput) (*iam.TagMFADeviceOutput, error) {
	if err := tagEntity(e, ctx, deviceTags, *in.SerialNumber, "iam:TagMFADevice", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagMFADeviceOutput{}, nil
}

func (e *Emulator) UntagMFADevice(ctx context.Context, in *iam.UntagMFADeviceInput) (*iam.UntagMFADeviceOutput, error) {
	if err := untagEntity(e, ctx, deviceTags, *in.SerialNumber, "iam:UntagMFADevice", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagMFADeviceOutput{}, nil
}

func (e *Emulator) ListMFADeviceTags(ctx context.Context, in *iam.ListMFADeviceTagsInput) (*iam.ListMFADeviceTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, deviceTags, *in.SerialNumber, "iam:ListMFADeviceTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListMFADeviceTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}

package emulator

import "github.com/iamlocal/iamlocal/wire"

// routes registers every implemented action: the API's table of contents.
func (e *Emulator) routes(r *wire.Router) {
	// IAM
	wire.Register(r, e.AddUserToGroup)
	wire.Register(r, e.ChangePassword)
	wire.Register(r, e.CreateAccessKey)
	wire.Register(r, e.CreateGroup)
	wire.Register(r, e.CreateLoginProfile)
	wire.Register(r, e.CreateUser)
	wire.Register(r, e.CreateVirtualMFADevice)
	wire.Register(r, e.DeactivateMFADevice)
	wire.Register(r, e.DeleteAccessKey)
	wire.Register(r, e.DeleteAccountPasswordPolicy)
	wire.Register(r, e.DeleteGroup)
	wire.Register(r, e.DeleteLoginProfile)
	wire.Register(r, e.DeleteUser)
	wire.Register(r, e.DeleteVirtualMFADevice)
	wire.Register(r, e.EnableMFADevice)
	wire.Register(r, e.GetAccessKeyLastUsed)
	wire.Register(r, e.GetAccountPasswordPolicy)
	wire.Register(r, e.GetAccountSummary)
	wire.Register(r, e.GetGroup)
	wire.Register(r, e.GetLoginProfile)
	wire.Register(r, e.GetMFADevice)
	wire.Register(r, e.GetUser)
	wire.Register(r, e.ListAccessKeys)
	wire.Register(r, e.ListGroups)
	wire.Register(r, e.ListGroupsForUser)
	wire.Register(r, e.ListMFADeviceTags)
	wire.Register(r, e.ListMFADevices)
	wire.Register(r, e.ListUserTags)
	wire.Register(r, e.ListUsers)
	wire.Register(r, e.ListVirtualMFADevices)
	wire.Register(r, e.RemoveUserFromGroup)
	wire.Register(r, e.ResyncMFADevice)
	wire.Register(r, e.TagMFADevice)
	wire.Register(r, e.TagUser)
	wire.Register(r, e.UntagMFADevice)
	wire.Register(r, e.UntagUser)
	wire.Register(r, e.UpdateAccessKey)
	wire.Register(r, e.UpdateAccountPasswordPolicy)
	wire.Register(r, e.UpdateGroup)
	wire.Register(r, e.UpdateLoginProfile)
	wire.Register(r, e.UpdateUser)

	// STS
	wire.Register(r, e.GetAccessKeyInfo)
	wire.Register(r, e.GetCallerIdentity)
}

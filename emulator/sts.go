package emulator

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// GetCallerIdentity needs no permission: AWS answers it even when every
// action is denied.
func (e *Emulator) GetCallerIdentity(ctx context.Context, _ *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
	c := callerOf(ctx)
	return &sts.GetCallerIdentityOutput{UserId: aws.String(c.UserID), Account: aws.String(c.Account), Arn: aws.String(c.ARN)}, nil
}

// GetAccessKeyInfo reads the account out of the key id itself, as AWS does,
// so it answers for any key id, known here or not.
func (e *Emulator) GetAccessKeyInfo(_ context.Context, in *sts.GetAccessKeyInfoInput) (*sts.GetAccessKeyInfoOutput, error) {
	account, ok := accountOfKeyID(*in.AccessKeyId)
	if !ok {
		return nil, invalidAccessKeyID()
	}
	return &sts.GetAccessKeyInfoOutput{Account: aws.String(account)}, nil
}

package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestPartitionFollowsRegion: ARNs name the partition of the region the
// request is signed for, as AWS China and GovCloud answer.
func TestPartitionFollowsRegion(t *testing.T) {
	tg := newTarget(t)
	for region, partition := range map[string]string{"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov", "eu-west-1": "aws"} {
		t.Run(region, func(t *testing.T) {
			cfg := tg.Config.Copy()
			cfg.Region = region
			who := must[*sts.GetCallerIdentityOutput](t)(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
			if got, want := aws.ToString(who.Arn), "arn:"+partition+":iam::"+account+":root"; got != want {
				t.Errorf("GetCallerIdentity Arn=%q, want %q", got, want)
			}
			c := iam.NewFromConfig(cfg, noRetry, noClientValidation)
			name := "p-" + region
			created := must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
			if got, want := aws.ToString(created.User.Arn), "arn:"+partition+":iam::"+account+":user/"+name; got != want {
				t.Errorf("CreateUser Arn=%q, want %q", got, want)
			}
			dev := must[*iam.CreateVirtualMFADeviceOutput](t)(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)}))
			serial := "arn:" + partition + ":iam::" + account + ":mfa/" + name
			if got := aws.ToString(dev.VirtualMFADevice.SerialNumber); got != serial {
				t.Errorf("SerialNumber=%q, want %q", got, serial)
			}
			if err := tg.enableWith(c, name, serial, string(dev.VirtualMFADevice.Base32StringSeed), t); err != nil {
				t.Fatalf("EnableMFADevice with the %s serial: %v", partition, err)
			}
			if partition != "aws" {
				other := "arn:aws:iam::" + account + ":mfa/" + name
				_, err := c.GetMFADevice(ctx, &iam.GetMFADeviceInput{UserName: aws.String(name), SerialNumber: aws.String(other)})
				wantAPIError(t, err, "NoSuchEntity", 404, "MFA Device with serial number "+other+" does not exist.")
			}
		})
	}
}

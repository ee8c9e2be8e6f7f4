package emulatortest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "iamlocal-example-")
	defer os.RemoveAll(dir)
	srv, err := emulatortest.Open(dir)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client := iam.NewFromConfig(srv.Config)
	out, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("taro")})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.User.Arn)
	// Output: arn:aws:iam::123456789012:user/taro
}

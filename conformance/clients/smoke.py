"""Smoke suite: boto3 (Debian's python3-boto3 is enough) against a running iamlocal.

    AWS_ENDPOINT_URL=http://127.0.0.1:4599 python3 conformance/clients/smoke.py

It resets the server's state first: run it against a test server only.
"""
import base64
import hashlib
import hmac
import json
import os
import struct
import urllib.request
from datetime import datetime, timezone

import boto3
import botocore.exceptions

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:4599")
ACCOUNT = "123456789012"


def client(service, key="test", secret="test", token=None):
    # The endpoint is passed explicitly: Debian's boto3 predates AWS_ENDPOINT_URL.
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token)


def admin(path):
    """POSTs to one of iamlocal's own endpoints (not an AWS API) and answers its JSON."""
    with urllib.request.urlopen(urllib.request.Request(ENDPOINT + path, method="POST")) as r:
        return json.load(r)


def emulator_time():
    """The emulator clock, which /_iamlocal/clock may have moved ahead of ours."""
    with urllib.request.urlopen(ENDPOINT + "/_iamlocal/clock") as r:
        now = json.load(r)["now"]
    return datetime.strptime(now[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()


def totp(seed, at):
    """RFC 6238: 6 digits, 30-second steps, HMAC-SHA-1."""
    mac = hmac.new(base64.b32decode(seed), struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def check(name, got, want):
    if got != want:
        raise AssertionError(f"{name}: got {got!r}, want {want!r}")
    print("ok ", name)


def expect_error(name, code, message, call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        check(name, (e.response["Error"]["Code"], e.response["Error"]["Message"]), (code, message))
        return
    raise AssertionError(f"{name}: succeeded, want {code}")


admin("/_iamlocal/reset")
iam, sts = client("iam"), client("sts")

# A user, two keys, and the quota of two.
iam.create_user(UserName="alice")
key = iam.create_access_key(UserName="alice")["AccessKey"]
iam.create_access_key(UserName="alice")
expect_error("third key", "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2",
             iam.create_access_key, UserName="alice")

# Signed with alice's own key.
alice_iam = client("iam", key["AccessKeyId"], key["SecretAccessKey"])
alice_sts = client("sts", key["AccessKeyId"], key["SecretAccessKey"])
check("caller is alice", alice_sts.get_caller_identity()["Arn"], f"arn:aws:iam::{ACCOUNT}:user/alice")
expect_error("alice lists users", "AccessDenied",
             f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: iam:ListUsers "
             "on resource: user path / because no identity-based policy allows the iam:ListUsers action",
             alice_iam.list_users)

# A virtual MFA device, enabled with two consecutive codes.
device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-mfa")["VirtualMFADevice"]
serial, seed = device["SerialNumber"], device["Base32StringSeed"].decode()
now = emulator_time()
iam.enable_mfa_device(UserName="alice", SerialNumber=serial,
                      AuthenticationCode1=totp(seed, now), AuthenticationCode2=totp(seed, now + 30))
check("alice's device", iam.list_mfa_devices(UserName="alice")["MFADevices"][0]["SerialNumber"], serial)

# A role alice may assume only with MFA.
role = iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"},
                   "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}],
}))["Role"]["Arn"]
iam.attach_role_policy(RoleName="auditor", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
expect_error("assume without MFA", "AccessDenied",
             f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: {role}",
             alice_sts.assume_role, RoleArn=role, RoleSessionName="smoke")

# Each code works once: move the emulator's clock past the codes used above.
admin("/_iamlocal/clock?advance=60s")
creds = alice_sts.assume_role(RoleArn=role, RoleSessionName="smoke", SerialNumber=serial,
                              TokenCode=totp(seed, emulator_time()))["Credentials"]
role_iam = client("iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
role_sts = client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
check("caller is the role session", role_sts.get_caller_identity()["Arn"],
      f"arn:aws:sts::{ACCOUNT}:assumed-role/auditor/smoke")
check("the role lists users", [u["UserName"] for u in role_iam.list_users()["Users"]], ["alice"])

print("boto3: all passed")

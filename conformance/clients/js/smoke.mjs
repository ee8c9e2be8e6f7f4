// Smoke suite: the AWS SDK for JavaScript v3 against a running iamlocal.
//   cd conformance/clients/js && npm ci && AWS_ENDPOINT_URL=http://127.0.0.1:4599 node smoke.mjs
// It resets the server's state first: run it against a test server only.
import { createHmac } from "node:crypto";
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, ListUsersCommand, CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand, ListMFADevicesCommand, CreateRoleCommand, AttachRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from "@aws-sdk/client-sts";

const endpoint = process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:4599";
const account = "123456789012";

// maxAttempts 1: the SDK takes IAM's LimitExceeded for throttling and would retry the quota call for seconds.
const config = (accessKeyId = "test", secretAccessKey = "test", sessionToken) =>
  ({ endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });

// admin calls one of iamlocal's own endpoints (not an AWS API) and answers its JSON.
async function admin(path, method = "POST") {
  const res = await fetch(endpoint + path, { method });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.json();
}

// emulatorTime is the emulator clock in seconds, which /_iamlocal/clock may have moved ahead of ours.
const emulatorTime = async () => Date.parse((await admin("/_iamlocal/clock", "GET")).now.slice(0, 19) + "Z") / 1000;

function base32(s) {
  let bits = "";
  for (const c of s.replace(/=+$/, "")) bits += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0");
  return Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
}

// totp is RFC 6238: 6 digits, 30-second steps, HMAC-SHA-1.
function totp(seed, at) {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = createHmac("sha1", base32(seed)).update(step).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, "0");
}

function check(name, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  console.log("ok ", name);
}

async function expectError(name, code, message, call) {
  try {
    await call();
  } catch (e) {
    if (!e.$metadata) throw e; // not an answer from the server
    check(name, [e.Code, e.message], [code, message]);
    return;
  }
  throw new Error(`${name}: succeeded, want ${code}`);
}

await admin("/_iamlocal/reset");
const iam = new IAMClient(config());

// A user, two keys, and the quota of two.
await iam.send(new CreateUserCommand({ UserName: "alice" }));
const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
await iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
await expectError("third key", "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2",
  () => iam.send(new CreateAccessKeyCommand({ UserName: "alice" })));

// Signed with alice's own key.
const aliceIAM = new IAMClient(config(key.AccessKeyId, key.SecretAccessKey));
const aliceSTS = new STSClient(config(key.AccessKeyId, key.SecretAccessKey));
check("caller is alice", (await aliceSTS.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${account}:user/alice`);
await expectError("alice lists users", "AccessDenied",
  `User: arn:aws:iam::${account}:user/alice is not authorized to perform: iam:ListUsers ` +
  "on resource: user path / because no identity-based policy allows the iam:ListUsers action",
  () => aliceIAM.send(new ListUsersCommand({})));

// A virtual MFA device, enabled with two consecutive codes.
const { VirtualMFADevice: device } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "alice-mfa" }));
const serial = device.SerialNumber;
const seed = Buffer.from(device.Base32StringSeed).toString();
const now = await emulatorTime();
await iam.send(new EnableMFADeviceCommand({
  UserName: "alice", SerialNumber: serial, AuthenticationCode1: totp(seed, now), AuthenticationCode2: totp(seed, now + 30),
}));
check("alice's device", (await iam.send(new ListMFADevicesCommand({ UserName: "alice" }))).MFADevices[0].SerialNumber, serial);

// A role alice may assume only with MFA.
const { Role: role } = await iam.send(new CreateRoleCommand({
  RoleName: "auditor",
  AssumeRolePolicyDocument: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:user/alice` },
      Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }],
  }),
}));
await iam.send(new AttachRolePolicyCommand({ RoleName: "auditor", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
await expectError("assume without MFA", "AccessDenied",
  `User: arn:aws:iam::${account}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}`,
  () => aliceSTS.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "smoke" })));

// Each code works once: move the emulator's clock past the codes used above.
await admin("/_iamlocal/clock?advance=60s");
const { Credentials: creds } = await aliceSTS.send(new AssumeRoleCommand({
  RoleArn: role.Arn, RoleSessionName: "smoke", SerialNumber: serial, TokenCode: totp(seed, await emulatorTime()),
}));
const roleConfig = config(creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken);
check("caller is the role session", (await new STSClient(roleConfig).send(new GetCallerIdentityCommand({}))).Arn,
  `arn:aws:sts::${account}:assumed-role/auditor/smoke`);
check("the role lists users", (await new IAMClient(roleConfig).send(new ListUsersCommand({}))).Users.map((u) => u.UserName), ["alice"]);

console.log("js: all passed");

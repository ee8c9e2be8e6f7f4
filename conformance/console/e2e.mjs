// The console end to end, as a hands-on participant uses it, in headless
// Chromium driven by playwright-core: sign-in, the forced password change,
// a virtual MFA device registered from its QR code (decoded from the
// page's pixels), sign-in with a code, access keys up to the quota, a page
// denied to a user without policies, and switch role. run.sh starts the
// server with world.json and sets IAMLOCAL_ENDPOINT. Every page is
// screenshotted into artifacts/, and the hands-on guide's images into
// docs/images/ (see guideShots); any failure exits 1.
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const endpoint = process.env.IAMLOCAL_ENDPOINT;
if (!endpoint) throw new Error('IAMLOCAL_ENDPOINT must name a running iamlocal started with world.json');
const artifacts = process.env.IAMLOCAL_E2E_ARTIFACTS ?? path.join(import.meta.dirname, 'artifacts');
const account = '123456789012';
const taro = { name: 'taro', password: 'Hands-0n!pass', newPassword: 'Kaizen-2026!iam' };
const hanako = { name: 'hanako', password: 'Hanako-0n!pass' };

// TOTP as RFC 6238 computes it (HMAC-SHA-1, 6 digits, 30-second steps):
// the test's authenticator app.
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let bits = 0, value = 0;
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

function totp(key, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// RFC 6238 appendix B, SHA-1 at T=59: 94287082, whose last six digits are
// the 6-digit code.
if (totp(Buffer.from('12345678901234567890'), 1) !== '287082') throw new Error('totp() disagrees with RFC 6238');

// The emulator clock: codes follow it, and moving it replaces waiting for
// the next 30-second step.
async function admin(method, p) {
  const res = await fetch(endpoint + p, { method });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}
const emulatorStep = async () => Math.floor(Date.parse((await admin('GET', '/_iamlocal/clock')).now) / 1000 / 30);
const nextStep = () => admin('POST', '/_iamlocal/clock?advance=30s');

// Screenshots, numbered in the order the pages were seen: the whole page,
// or only the part that locator finds.
let shots = 0;
async function shot(page, name, locator) {
  const file = path.join(artifacts, `${String(++shots).padStart(2, '0')}-${name}.png`);
  await (locator ? locator.screenshot({ path: file }) : page.screenshot({ path: file, fullPage: true }));
}

// The hands-on guide's images (docs/handson.md, docs/ja/handson.md): the
// same page in English (docs/images/) and in Japanese (docs/images/ja/),
// the language chosen by the console's language cookie, as its switch sets
// it. They are committed, so they show no value that changes from run to
// run: exemplify puts AWS's documentation examples in place of key ids,
// secrets and dates, and the QR code of an example seed (example-mfa-qr.png,
// made once with pquerna/otp as the emulator draws its codes) in place of
// the real one, after the test has read the real values.
const guideImages = process.env.IAMLOCAL_E2E_GUIDE_IMAGES ?? path.join(import.meta.dirname, '..', '..', 'docs', 'images');
const exampleQR = `data:image/png;base64,${readFileSync(path.join(import.meta.dirname, 'example-mfa-qr.png')).toString('base64')}`;
const exampleSeed = 'JBSWY3DPEHPK3PXP'.repeat(4);

async function setLanguage(page, lang) {
  const { hostname } = new URL(endpoint);
  await page.context().addCookies([{ name: 'iamlocal-console-lang', value: lang, domain: hostname, path: '/console/', httpOnly: true, sameSite: 'Strict' }]);
}

async function exemplify(page) {
  await page.evaluate(({ qr, seed }) => {
    const keyIds = ['AKIAIOSFODNN7EXAMPLE', 'AKIAI44QH8DHBEXAMPLE'];
    const seen = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      n.nodeValue = n.nodeValue
        .replace(/\bAKIA[A-Z0-9]{16}\b/g, (id) => seen.get(id) ?? (seen.set(id, keyIds[seen.size % keyIds.length]), seen.get(id)))
        .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/g, '2026-04-01 09:00:00 UTC');
    }
    const secret = document.querySelector('[data-testid=new-key-secret]');
    if (secret) secret.textContent = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const img = document.querySelector('[data-testid=mfa-qr]');
    if (img) img.src = qr;
    const shown = document.querySelector('[data-testid=mfa-secret]');
    if (shown) shown.textContent = seed;
  }, { qr: exampleQR, seed: exampleSeed });
  await page.locator('[data-testid=mfa-qr]').evaluateAll((imgs) => Promise.all(imgs.map((i) => i.decode())));
}

// guideShot writes the guide's image name in lang, of the page or of the
// part crop (a selector) shows.
async function guideShot(page, lang, name, crop) {
  const dir = lang === 'en' ? guideImages : path.join(guideImages, lang);
  mkdirSync(dir, { recursive: true });
  if ((await page.getAttribute('html', 'lang')) !== lang) throw new Error(`${name}: the page is not in ${lang}`);
  await exemplify(page);
  await page.mouse.move(0, 0); // no hover highlight where the last click was
  const options = { path: path.join(dir, `${name}.png`), animations: 'disabled', caret: 'hide' };
  await (crop ? page.locator(crop).screenshot(options) : page.screenshot({ ...options, fullPage: true }));
}

// guideShots writes the page as it is in English, then again in Japanese:
// again shows the same page once more (a reload, or the form sent again),
// in Japanese, then in English, where the test goes on.
async function guideShots(page, name, again, crop) {
  await guideShot(page, 'en', name, crop);
  await setLanguage(page, 'ja');
  await again();
  await guideShot(page, 'ja', name, crop);
  await setLanguage(page, 'en');
  await again();
}

// see waits until an element matching selector contains text, and fails
// with what the page has there instead.
async function see(page, selector, text) {
  try {
    await page.locator(selector, { hasText: text }).first().waitFor({ timeout: 10000 });
  } catch {
    const found = await page.locator(selector).allTextContents();
    throw new Error(`${page.url()}: no ${selector} with ${JSON.stringify(text)}; found ${JSON.stringify(found)}`);
  }
}

async function at(page, pathname) {
  try {
    await page.waitForURL((u) => u.pathname === pathname, { timeout: 10000 });
  } catch {
    throw new Error(`at ${page.url()}, want ${pathname}`);
  }
}

const click = (page, name) => page.getByRole('button', { name, exact: true }).first().click();
const link = (page, name) => page.getByRole('link', { name, exact: true }).first().click();

async function signIn(page, user, password) {
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await click(page, 'Sign in');
}

async function changePassword(page, old, next) {
  await page.fill('input[name=old]', old);
  await page.fill('input[name=new]', next);
  await page.fill('input[name=confirm]', next);
  await click(page, 'Change password');
}

// qrText decodes the QR code the page shows, from its pixels as rendered,
// as a phone's camera would.
async function qrText(page) {
  const png = PNG.sync.read(await page.getByTestId('mfa-qr').screenshot());
  const qr = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!qr) throw new Error('the QR code on the page does not decode');
  return qr.data;
}

const steps = [];
async function step(name, fn) {
  const start = performance.now();
  await fn();
  steps.push(name);
  console.log(`ok   ${name} (${((performance.now() - start) / 1000).toFixed(1)}s)`);
}

async function journey(browser) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 560 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  let seed, usedCode;

  await step('sign-in page from the account URL, wrong password refused', async () => {
    await page.goto(`${endpoint}/console/${account}`);
    if ((await page.inputValue('input[name=account]')) !== account) throw new Error('the sign-in URL did not fill in the account');
    await shot(page, 'signin');
    await guideShots(page, 'signin', () => page.reload());
    await signIn(page, taro.name, 'not-the-password');
    await see(page, '.error', 'Your authentication information is incorrect. Please try again.');
    await shot(page, 'signin-failed');
  });

  await step('forced password change, with the password policy listed', async () => {
    await page.fill('input[name=account]', 'handson'); // the account alias works as well
    await signIn(page, taro.name, taro.password);
    await at(page, '/console/password');
    await see(page, 'h1', 'Change your password');
    await changePassword(page, taro.password, 'short');
    await see(page, '[data-testid=policy-failures] li', 'At least 12 characters');
    await see(page, '[data-testid=policy-failures] li', 'At least one number (0–9)');
    await shot(page, 'forced-change-policy');
    await guideShots(page, 'password-change', async () => {
      // The form sent again by its Enter key: the button's name is in the page's language.
      for (const field of ['old', 'new', 'confirm']) await page.fill(`input[name=${field}]`, field === 'old' ? taro.password : 'short');
      await page.press('input[name=confirm]', 'Enter');
      await page.getByTestId('policy-failures').waitFor();
    });
    await changePassword(page, taro.password, taro.newPassword);
    await at(page, '/console/home');
    await see(page, '.flash', 'Your password has been changed.');
    await see(page, '[data-testid=arn]', `arn:aws:iam::${account}:user/taro`);
    await shot(page, 'home');
  });

  await step('virtual MFA device registered from the QR code', async () => {
    await link(page, 'Security credentials');
    await at(page, '/console/security-credentials');
    await see(page, 'h1', 'My security credentials');
    await shot(page, 'security-credentials');
    await click(page, 'Assign MFA device');
    await page.getByTestId('mfa-qr').waitFor();
    const uri = new URL(await qrText(page));
    if (uri.protocol !== 'otpauth:' || uri.host !== 'totp') throw new Error(`the QR code holds ${uri.protocol}//${uri.host}, not a TOTP key`);
    // The label authenticator apps show: the device's name @ the account alias.
    const label = decodeURIComponent(uri.pathname.slice(1));
    if (label !== 'Amazon Web Services:taro@handson' || uri.searchParams.get('issuer') !== 'Amazon Web Services') {
      throw new Error(`the QR code's label is ${JSON.stringify(label)}, issuer ${JSON.stringify(uri.searchParams.get('issuer'))}`);
    }
    seed = uri.searchParams.get('secret');
    if (!seed) throw new Error('the QR code has no secret');
    if ((await page.getByTestId('mfa-secret').textContent()).trim() !== seed) throw new Error('the QR code and "Show secret key" differ');
    await shot(page, 'mfa-qr');
    await shot(page, 'mfa-qr-section', page.locator('#mfa'));
    await guideShots(page, 'mfa-assign', async () => {
      await page.goto(`${endpoint}/console/security-credentials`);
      await page.getByTestId('mfa-qr').waitFor();
    }, '#mfa');
    const key = base32Decode(seed);
    const s = await emulatorStep();
    await page.fill('input[name=code1]', totp(key, s));
    await nextStep();
    usedCode = totp(key, s + 1);
    await page.fill('input[name=code2]', usedCode);
    await click(page, 'Add MFA');
    await at(page, '/console/security-credentials');
    await see(page, '#mfa td', `arn:aws:iam::${account}:mfa/taro`);
    await shot(page, 'mfa-assigned');
  });

  await step('sign-out, then sign-in with an MFA code (a used code refused)', async () => {
    await click(page, 'Sign out');
    await at(page, `/console/${account}`);
    await signIn(page, taro.name, taro.newPassword);
    await at(page, '/console/mfa');
    await shot(page, 'mfa-code');
    await guideShots(page, 'mfa-signin', () => page.reload());
    await page.fill('input[name=code]', usedCode);
    await click(page, 'Submit');
    await see(page, '.error', 'The MFA code is not valid.');
    await nextStep();
    await page.fill('input[name=code]', totp(base32Decode(seed), await emulatorStep()));
    await click(page, 'Submit');
    await at(page, '/console/home');
    await see(page, 'p', 'Signed in with MFA');
    await shot(page, 'home-mfa');
  });

  await step('access keys: created with the secret once and its CSV, the third refused by the quota', async () => {
    await link(page, 'Security credentials');
    await click(page, 'Create access key');
    await page.getByTestId('new-key').waitFor();
    const id = (await page.getByTestId('new-key-id').textContent()).trim();
    const secret = (await page.getByTestId('new-key-secret').textContent()).trim();
    if (!/^AKIA[A-Z0-9]{16}$/.test(id) || secret.length !== 40) throw new Error(`new key ${id} with a ${secret.length}-character secret`);
    await shot(page, 'key-created');
    await guideShot(page, 'en', 'access-key-created', '#keys');
    const [download] = await Promise.all([page.waitForEvent('download'), link(page, 'Download .csv file')]);
    const csv = readFileSync(await download.path(), 'utf8');
    // The AWS console's file: a UTF-8 byte order mark, a header, CRLF lines.
    if (download.suggestedFilename() !== 'taro_accessKeys.csv' || csv !== `\ufeffAccess key ID,Secret access key\r\n${id},${secret}\r\n`) {
      throw new Error(`download ${download.suggestedFilename()}: ${JSON.stringify(csv.slice(0, 60))}…`);
    }
    await click(page, 'Done');
    // The secret is shown once: the Japanese image is of the second key.
    const createKey = () => page.locator('form[action$="/keys/create"] button').click();
    await setLanguage(page, 'ja');
    await createKey();
    await page.getByTestId('new-key').waitFor();
    await guideShot(page, 'ja', 'access-key-created', '#keys');
    await setLanguage(page, 'en');
    await page.locator('form[action$="/keys/done"] button').click();
    await at(page, '/console/security-credentials');
    await click(page, 'Create access key');
    await see(page, '[data-testid=aws-error]', 'Cannot exceed quota for AccessKeysPerUser: 2');
    await guideShots(page, 'access-key-quota', async () => {
      await createKey();
      await page.getByTestId('aws-error').waitFor();
    }, '#keys');
    await see(page, '[data-testid=aws-error] strong', 'LimitExceeded');
    const rows = await page.locator('#keys tbody tr').count();
    if (rows !== 2) throw new Error(`${rows} access keys listed, want 2`);
    await shot(page, 'key-quota');
    // The guide's picture of the page: with a password, an MFA device and two keys.
    await page.goto(`${endpoint}/console/security-credentials`);
    await guideShots(page, 'security-credentials', () => page.reload());
  });

  await step('switch role (its trust policy requires MFA), then switch back', async () => {
    await link(page, 'Switch role');
    await at(page, '/console/switchrole');
    await page.fill('input[name=account]', 'handson');
    await page.fill('input[name=roleName]', 'no-such-role');
    await click(page, 'Switch role');
    await see(page, '[data-testid=switch-failed]', 'Invalid information in one or more fields.');
    const fillSwitch = async () => {
      await page.fill('input[name=account]', 'handson');
      await page.fill('input[name=roleName]', 'handson-admin');
      await page.fill('input[name=displayName]', 'Admin');
    };
    await fillSwitch();
    await shot(page, 'switch-role');
    await page.goto(`${endpoint}/console/switchrole`);
    await fillSwitch();
    await guideShots(page, 'switch-role', async () => {
      await page.reload();
      await fillSwitch();
    });
    await click(page, 'Switch role');
    await at(page, '/console/home');
    await see(page, '[data-testid=principal]', `Admin @ ${account}`);
    await see(page, '[data-testid=arn]', `arn:aws:sts::${account}:assumed-role/handson-admin/taro`);
    await shot(page, 'switched-home');
    await guideShots(page, 'switched-role', () => page.reload());
    await link(page, 'Users'); // the role's IAMReadOnlyAccess, which taro's own policy does not give
    await see(page, '[data-testid=users] td', 'hanako');
    await shot(page, 'switched-users');
    await page.getByTestId('switch-back').click();
    await at(page, '/console/home');
    await see(page, '[data-testid=principal]', `taro @ ${account}`);
    await see(page, '[data-testid=arn]', `arn:aws:iam::${account}:user/taro`);
  });

  await step('pages denied to a user without policies', async () => {
    await click(page, 'Sign out');
    await signIn(page, hanako.name, hanako.password);
    await at(page, '/console/home');
    await link(page, 'Users');
    await see(page, '[data-testid=aws-error]', `User: arn:aws:iam::${account}:user/hanako is not authorized to perform: iam:ListUsers`);
    await see(page, '[data-testid=aws-error] strong', 'AccessDenied');
    await shot(page, 'denied-users');
    await guideShots(page, 'access-denied', () => page.reload());
    await link(page, 'Security credentials');
    await see(page, '[data-testid=aws-error]', `User: arn:aws:iam::${account}:user/hanako is not authorized to perform: iam:ListAccessKeys`);
    await shot(page, 'denied-credentials');
  });

  await context.close();
}

// The sign-in page at a phone's width, in English and in Japanese.
async function phone(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, locale: 'en-US' });
  const page = await context.newPage();
  await step('sign-in page at a phone width', async () => {
    await page.goto(`${endpoint}/console/${account}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) throw new Error(`the sign-in page is ${overflow}px wider than a phone`);
    await shot(page, 'signin-phone');
  });
  await step('language switch: the sign-in page in Japanese', async () => {
    await link(page, '日本語');
    await see(page, 'h1', 'IAM ユーザーとしてサインイン');
    if ((await page.getAttribute('html', 'lang')) !== 'ja') throw new Error('the Japanese page is not lang="ja"');
    if ((await page.inputValue('input[name=account]')) !== account) throw new Error('the switch lost the account');
    await shot(page, 'signin-ja-phone');
  });
  await context.close();
}

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
if (process.getuid?.() === 0) args.push('--no-sandbox'); // Chromium's sandbox refuses to run as root
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
try {
  await journey(browser);
  await phone(browser);
  console.log(`console e2e: ${steps.length} steps passed; screenshots in ${artifacts}`);
} catch (err) {
  console.error(`FAIL after ${steps.length} steps: ${err.stack ?? err}`);
  for (const ctx of browser.contexts()) {
    for (const page of ctx.pages()) await page.screenshot({ path: path.join(artifacts, 'FAILED.png'), fullPage: true }).catch(() => {});
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}

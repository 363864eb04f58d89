import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, type ResolveHost } from './url.ts';

const publicV4 = '93.184.215.14';
const publicV6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';
const resolveTo =
  (table: Record<string, string[]>): ResolveHost =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  };
const unresolvable: ResolveHost = async (host) => {
  throw new Error(`${host} must not be resolved`);
};
const guarded = (resolve: ResolveHost = unresolvable) => ({ allowPrivate: false, resolve });
const longUrl = (length: number) => `https://8.8.8.8/${'a'.repeat(length - 'https://8.8.8.8/'.length)}`;

describe('checkWebhookUrl', () => {
  it.each([
    [longUrl(2049), 'The webhook URL is longer than 2048 characters.'],
    ['hooks.example.com/path', 'The webhook URL is not a valid absolute URL.'],
    ['http://', 'The webhook URL is not a valid absolute URL.'],
    ['https://exa mple.com/', 'The webhook URL is not a valid absolute URL.'],
    ['ftp://example.com/hook', 'The webhook URL must start with https:// or http://.'],
    ['file:///etc/passwd', 'The webhook URL must start with https:// or http://.'],
    ['javascript:alert(1)', 'The webhook URL must start with https:// or http://.'],
    ['https://user:secret@example.com/hook', 'The webhook URL must not contain a user name or password.'],
    ['https://user@example.com/hook', 'The webhook URL must not contain a user name or password.'],
    ['https://:secret@example.com/hook', 'The webhook URL must not contain a user name or password.'],
    ['http://127.0.0.1:8080/hook', "The webhook URL's address 127.0.0.1 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://169.254.169.254/latest/meta-data/', "The webhook URL's address 169.254.169.254 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://[::1]:8080/', "The webhook URL's address ::1 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://[::ffff:127.0.0.1]/', "The webhook URL's address ::ffff:7f00:1 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://[fd00:ec2::254]/', "The webhook URL's address fd00:ec2::254 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://2130706433/', "The webhook URL's address 127.0.0.1 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://0x7f.1/', "The webhook URL's address 127.0.0.1 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://10.1.2.3/', "The webhook URL's address 10.1.2.3 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://localhost:3000/hook', "The webhook URL's host localhost is a local or internal name; webhooks are sent to public hosts only."],
    ['http://LocalHost./hook', "The webhook URL's host localhost. is a local or internal name; webhooks are sent to public hosts only."],
    ['http://api.localhost/hook', "The webhook URL's host api.localhost is a local or internal name; webhooks are sent to public hosts only."],
    ['http://metadata.google.internal/computeMetadata/v1/', "The webhook URL's host metadata.google.internal is a local or internal name; webhooks are sent to public hosts only."],
    ['http://printer.local/', "The webhook URL's host printer.local is a local or internal name; webhooks are sent to public hosts only."],
    ['http://router.home.arpa/', "The webhook URL's host router.home.arpa is a local or internal name; webhooks are sent to public hosts only."],
  ])('refuses %s', async (raw, reason) => {
    expect(await checkWebhookUrl(raw, guarded())).toEqual({ ok: false, reason });
  });

  it.each([
    ['https://8.8.8.8/hook', 'https://8.8.8.8/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
    ['http://[::ffff:8.8.8.8]:8080/', 'http://[::ffff:808:808]:8080/'],
    [longUrl(2048), longUrl(2048)],
  ])('accepts the public address literal %s without resolving anything', async (raw, href) => {
    const check = await checkWebhookUrl(raw, guarded());
    expect(check.ok && check.url.href).toBe(href);
  });

  it('accepts a name whose every address is public', async () => {
    const check = await checkWebhookUrl('https://Hooks.Example.com/in?tenant=1', guarded(resolveTo({ 'hooks.example.com': [publicV4, publicV6] })));
    expect(check.ok && check.url.href).toBe('https://hooks.example.com/in?tenant=1');
  });

  it.each([
    [[publicV4, '10.0.0.5']],
    [['10.0.0.5', publicV4]],
    [[publicV6, 'fd00:ec2::254']],
    [[publicV4, '::ffff:169.254.169.254']],
    [['127.0.0.1']],
  ])('refuses a name resolving to %j, as one address is not public', async (addresses) => {
    expect(await checkWebhookUrl('https://rebind.example.com/', guarded(resolveTo({ 'rebind.example.com': addresses })))).toEqual({
      ok: false,
      reason: "The webhook URL's host rebind.example.com resolves to a private, local or reserved address; webhooks are sent to public addresses only.",
    });
  });

  it.each([
    ['a resolver error', resolveTo({})],
    ['no address', resolveTo({ 'nowhere.example.com': [] })],
  ])('refuses a name that does not resolve (%s)', async (_label, resolve) => {
    expect(await checkWebhookUrl('https://nowhere.example.com/', guarded(resolve))).toEqual({
      ok: false,
      reason: "The webhook URL's host nowhere.example.com could not be resolved.",
    });
  });

  it('with allowPrivate, lets local hosts through but still refuses other schemes and credentials', async () => {
    const open = { allowPrivate: true, resolve: unresolvable };
    for (const raw of ['http://127.0.0.1:8080/hook', 'http://localhost:3000/hook', 'http://[::1]/', 'http://metadata.google.internal/']) {
      const check = await checkWebhookUrl(raw, open);
      expect(check.ok && check.url.href).toBe(raw);
    }
    expect(await checkWebhookUrl('ftp://127.0.0.1/', open)).toEqual({ ok: false, reason: 'The webhook URL must start with https:// or http://.' });
    expect(await checkWebhookUrl('http://a:b@127.0.0.1/', open)).toEqual({ ok: false, reason: 'The webhook URL must not contain a user name or password.' });
  });
});

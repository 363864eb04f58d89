import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';

describe.each(['sqlite', 'postgresql'] as const)('users procedures on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let as: (token?: string) => ReturnType<typeof createCaller>;
  let adminToken: string;
  let adminId: number;

  const signUp = async (email: string) => {
    const user = await as().auth.register({ email, full_name: 'Some One', password });
    const token = (await as().auth.login({ username: email, password })).access_token;
    return { user, token };
  };

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    as = (token) => createCaller({ services: t.api.services, token });
    adminToken = (await as().auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token;
    adminId = (await as(adminToken).auth.me()).id;
  });
  afterAll(() => t?.close());

  it('lists users for admins only, paginated', async () => {
    for (const i of [1, 2, 3]) await signUp(`list${i}@example.com`);
    const page = await as(adminToken).users.list({ skip: 1, limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(4);
    expect(page).toMatchObject({ skip: 1, limit: 2 });
    const { token } = await signUp('nosy@example.com');
    await expect(as(token).users.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as().users.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets users change their own name and zone, but not their role or anybody else', async () => {
    const a = await signUp('self@example.com');
    const b = await signUp('other@example.com');
    const updated = await as(a.token).users.update({ id: a.user.id, full_name: 'New Name', timezone: 'Asia/Tokyo' });
    expect(updated).toMatchObject({ full_name: 'New Name', timezone: 'Asia/Tokyo', role: 'client' });
    await expect(as(a.token).users.update({ id: a.user.id, role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(a.token).users.update({ id: b.user.id, full_name: 'Hijack' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await as(b.token).auth.me()).full_name).toBe('Some One');
  });

  it('lets admins change role and activity; deactivation ends every session', async () => {
    const u = await signUp('promote@example.com');
    expect(await as(adminToken).users.update({ id: u.user.id, role: 'staff' })).toMatchObject({ role: 'staff' });
    await as(adminToken).users.update({ id: u.user.id, is_active: false });
    await expect(as(u.token).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(as().auth.login({ username: 'promote@example.com', password })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await as(adminToken).users.update({ id: u.user.id, is_active: true });
    await expect(as().auth.login({ username: 'promote@example.com', password })).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it('keeps an admin from locking themselves out', async () => {
    await expect(as(adminToken).users.update({ id: adminId, role: 'client' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(as(adminToken).users.update({ id: adminId, is_active: false })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('changes a password only with the current one, and revokes the other sessions', async () => {
    const u = await signUp('pw@example.com');
    const other = (await as().auth.login({ username: 'pw@example.com', password })).access_token;
    await expect(as(u.token).users.update({ id: u.user.id, password: 'brand-new-pass' })).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    await expect(as(u.token).users.update({ id: u.user.id, password: 'brand-new-pass', current_password: 'wrong-one' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await as(u.token).users.update({ id: u.user.id, password: 'brand-new-pass', current_password: password });
    await expect(as(u.token).auth.me()).resolves.toMatchObject({ email: 'pw@example.com' });
    await expect(as(other).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(as().auth.login({ username: 'pw@example.com', password })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(as().auth.login({ username: 'pw@example.com', password: 'brand-new-pass' })).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it("does not let an admin set another user's password", async () => {
    const u = await signUp('pw2@example.com');
    await expect(as(adminToken).users.update({ id: u.user.id, password: 'brand-new-pass', current_password: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('unblocks a user (admin only) and reports unknown ids', async () => {
    const u = await signUp('blocked@example.com');
    expect(await as(adminToken).users.unblock({ id: u.user.id })).toMatchObject({ id: u.user.id, is_blocked: false });
    await expect(as(u.token).users.unblock({ id: u.user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(adminToken).users.unblock({ id: 987_654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(as(adminToken).users.update({ id: 987_654, full_name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

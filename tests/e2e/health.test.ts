import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../support/db-peek.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('health endpoints', () => {
  it('GET /healthz says the process is alive', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('GET /readyz says the database is reachable and migrated', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'ready' });
  });

  it('GET /readyz answers 503 when the migrations are missing', async () => {
    await queryRows(app.service, 'alter table drizzle.__drizzle_migrations rename to moved');
    try {
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, database: 'unavailable' });
    } finally {
      await queryRows(app.service, 'alter table drizzle.moved rename to __drizzle_migrations');
    }
  });

  it('answers unknown routes with 404 and no internals', async () => {
    const res = await fetch(`${app.url}/nope`);
    expect(res.status).toBe(404);
  });
});

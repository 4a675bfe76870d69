import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestApp } from '../support/test-app';

describe('/health when the database is gone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 with db down', async () => {
    await t.app.get(DataSource).destroy();
    const response = await t.request('GET', '/health', { token: null });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'error', db: 'down' });
  });
});

import { Client } from 'pg';

/** The migrated database that every test file's database is copied from (global-setup.ts). */
export const EMBEDDED_TEMPLATE_DATABASE = 'test_template';

/** Runs `action` on a client of `url`, closed afterwards. */
export async function withDatabase<T>(url: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

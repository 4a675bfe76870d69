import { Pool } from 'undici';
import { ChainRegistration, InboundSetup, ServiceApi } from './systems';

async function call<T>(
  pool: Pool,
  service: ServiceApi,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) {
  const response = await pool.request({
    method,
    path,
    headers: {
      authorization: `Bearer ${service.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const text = await response.body.text();
  if (response.statusCode >= 300)
    throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { data: T }).data;
}

/**
 * The chain as a new user sets it up in the service (docs/dingtalk-apps.md): the app once (POST /dingtalk-apps), then
 * one stream bot per store on it, its group the store's kitchen group (store i+1 for group i). Reports are counted
 * per store: each message written is a 报菜 in one store's group, so it must make exactly one report, in that store.
 */
export const chainRegistration: ChainRegistration = {
  async register(service, setup: InboundSetup) {
    const pool = new Pool(service.url, { connections: 8 });
    try {
      const app = await call<{ id: number }>(pool, service, 'POST', '/api/v1/dingtalk-apps', {
        name: 'bench chain',
        client_id: setup.app.clientId,
        client_secret: setup.app.clientSecret,
        agent_id: setup.app.agentId,
      });
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < setup.groups.length; i = next++) {
          await call(pool, service, 'POST', '/api/v1/dingtalk-bots', {
            name: setup.groups[i].title,
            store_id: i + 1,
            bot_type: 'stream',
            app_id: app.id,
            open_conversation_id: setup.groups[i].openConversationId,
          });
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    } finally {
      await pool.close();
    }
  },

  async reportsByGroup(service, groups) {
    const pool = new Pool(service.url, { connections: 8 });
    try {
      const counts = new Array<number>(groups).fill(0);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < groups; i = next++) {
          const page = await call<{ total: number }>(
            pool,
            service,
            'GET',
            `/api/v1/menu-reports?store_id=${i + 1}&page_size=1`,
          );
          counts[i] = page.total;
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return counts;
    } finally {
      await pool.close();
    }
  },
};

import type { DataSource, EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { ColumnRead } from '../database/column-read';
import { DingTalkBotRepository } from './dingtalk-bot.repository';

describe('the read of a store carried by the report bots statement', () => {
  const read = (sql: string): ColumnRead<unknown> => ({
    name: `probe-${sql}`,
    sql: () => sql,
    parse: (v) => v,
  });
  const noQueries = {
    query: () => Promise.reject(new Error('no query expected')),
  } as unknown as EntityManager;
  const repository = new DingTalkBotRepository({} as DataSource);

  it('refuses a read with a parameter of its own, which would take the statement’s $2', async () => {
    await expect(
      repository.enabledOfStoreForReport(noQueries, 1, 'menu_reports_id_seq', read('(SELECT $2::integer)')),
    ).rejects.toThrow(/uses a parameter other than its key/);
    await expect(
      repository.enabledOfStoreForReport(noQueries, 1, 'menu_reports_id_seq', read('(SELECT $12::integer)')),
    ).rejects.toThrow(/uses a parameter other than its key/);
  });

  it('takes a read keyed by $1 alone', async () => {
    await expect(
      repository.enabledOfStoreForReport(noQueries, 1, 'menu_reports_id_seq', read('(SELECT $1::integer)')),
    ).rejects.toThrow('no query expected');
  });
});

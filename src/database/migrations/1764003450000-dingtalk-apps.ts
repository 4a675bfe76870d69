import { MigrationInterface, QueryRunner } from 'typeorm';
import { OpenSealed, secretOpener } from '../migration-secrets';

/**
 * DingTalk apps become a resource of their own (issue 23): a chain sets up one enterprise internal app, its robot in
 * every store's group, and any number of stream bots refer to it (`app_id`), each keeping its store, targets,
 * mentions, template and schedule. The app's credentials (client_id, the sealed client_secret, agent_id) move from
 * the bots to `dingtalk_apps`, where rotating a secret is one update for every bot.
 *
 * Today's per-bot credentials become apps, one per client_id. Under the old schema a client_id belonged to one
 * stream bot at most (uq_ding_talk_bots_stream_client_id), so identical credentials are one bot's; rows that share a
 * client_id anyway (an index dropped by hand) are merged into one app with the credentials of the bot written last:
 * DingTalk holds one secret per app at a time, and the sealed secrets cannot be compared in SQL (each is sealed with
 * its own IV). The unique index goes with the bots' client_id: one app may now serve many bots, and with it the 409
 * that told a store admin another store used an app key. A bot's agent_id stays, as a copy of its app's that the
 * bots' module keeps (see DingTalkBot.agentId).
 *
 * A merge of bots whose secrets differed drops all but one secret: the migration's log names the bots, the app and
 * whose secret was kept (never a secret), so that an admin whose app then cannot connect knows why. It only reads to
 * say so: the data is what the statements above make of it, whether or not secrets can be opened here.
 */
export class DingTalkApps1764003450000 implements MigrationInterface {
  name = 'DingTalkApps1764003450000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dingtalk_apps (
        id            SERIAL PRIMARY KEY,
        name          VARCHAR(100) NOT NULL,
        client_id     VARCHAR(128) NOT NULL,
        client_secret TEXT NOT NULL,
        agent_id      VARCHAR(20) NULL,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT uq_dingtalk_apps_client_id UNIQUE (client_id)
      )`);
    await runner.query(`
      -- A client_id holds 128 characters, a name 100: a long one is cut (an admin renames the app).
      INSERT INTO dingtalk_apps (name, client_id, client_secret, agent_id, created_at, updated_at)
      SELECT DISTINCT ON (client_id) LEFT(client_id, 100), client_id, client_secret, agent_id, created_at, updated_at
      FROM ding_talk_bots
      WHERE client_id IS NOT NULL AND client_secret IS NOT NULL
      ORDER BY client_id, updated_at DESC, id DESC`);
    await runner.query(
      `ALTER TABLE ding_talk_bots ADD COLUMN app_id INTEGER NULL REFERENCES dingtalk_apps (id) ON DELETE RESTRICT`,
    );
    await runner.query(`
      UPDATE ding_talk_bots b SET app_id = a.id, agent_id = a.agent_id
      FROM dingtalk_apps a
      WHERE a.client_id = b.client_id AND b.client_secret IS NOT NULL`);
    await runner.query(`UPDATE ding_talk_bots SET agent_id = NULL WHERE app_id IS NULL`);
    await reportMerges(runner);
    await runner.query(
      `CREATE INDEX idx_ding_talk_bots_app ON ding_talk_bots (app_id) WHERE app_id IS NOT NULL`,
    );
    await runner.query(`DROP INDEX IF EXISTS uq_ding_talk_bots_stream_client_id`);
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN client_id, DROP COLUMN client_secret`);
  }

  /** Back to credentials on each bot: refused (a unique violation) while an app serves several stream bots. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE ding_talk_bots ADD COLUMN client_id VARCHAR(128) NULL, ADD COLUMN client_secret TEXT NULL`,
    );
    await runner.query(`
      UPDATE ding_talk_bots b SET client_id = a.client_id, client_secret = a.client_secret, agent_id = a.agent_id
      FROM dingtalk_apps a WHERE a.id = b.app_id`);
    await runner.query(
      `CREATE UNIQUE INDEX uq_ding_talk_bots_stream_client_id ON ding_talk_bots (client_id) WHERE bot_type = 'stream'`,
    );
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN app_id`);
    await runner.query(`DROP TABLE dingtalk_apps`);
  }
}

/** One bot of a client_id that several bots shared, as the merge treated it. */
interface MergedBot {
  id: number;
  client_id: string;
  client_secret: string;
  app_id: number;
  /** Its credentials are the app's: it was written last (the INSERT's DISTINCT ON order). */
  kept: boolean;
}

/**
 * Logs each client_id that several bots shared with different secrets (or secrets that cannot be compared here): the
 * bots merged, onto which app, and whose secret the app kept. Reads only, before the bots' credentials are dropped.
 */
async function reportMerges(runner: QueryRunner): Promise<void> {
  const rows = (await runner.query(`
    SELECT id, client_id, client_secret, app_id,
           row_number() OVER (PARTITION BY client_id ORDER BY updated_at DESC, id DESC) = 1 AS kept
    FROM ding_talk_bots
    WHERE app_id IS NOT NULL
      AND client_id IN (SELECT client_id FROM ding_talk_bots WHERE app_id IS NOT NULL
                        GROUP BY client_id HAVING count(*) > 1)
    ORDER BY client_id, id`)) as MergedBot[];
  const open = secretOpener(runner);
  const byClientId = new Map<string, MergedBot[]>();
  for (const row of rows) byClientId.set(row.client_id, [...(byClientId.get(row.client_id) ?? []), row]);
  for (const [clientId, bots] of byClientId) {
    const kept = bots.find((bot) => bot.kept)!;
    const others = bots.filter((bot) => bot !== kept);
    const verdicts = others.map((bot) => sameSecret(open, bot.client_secret, kept.client_secret));
    const differed = others.filter((_, index) => verdicts[index] === false).map((bot) => bot.id);
    const unknown = others.filter((_, index) => verdicts[index] === null).map((bot) => bot.id);
    if (differed.length === 0 && unknown.length === 0) continue;
    const merged =
      `DingTalkApps: bots ${bots.map((bot) => bot.id).join(', ')} shared client_id ${clientId} and were merged ` +
      `onto app ${kept.app_id} with the secret of bot ${kept.id} (written last)`;
    const parts = [
      differed.length > 0 ? `the secret of bots ${differed.join(', ')} differed and was dropped` : null,
      unknown.length > 0
        ? `the secret of bots ${unknown.join(', ')} could not be compared (no DATA_ENCRYPTION_KEY for it here)`
        : null,
    ].filter((part) => part !== null);
    runner.connection.logger.log(
      'warn',
      `${merged}; ${parts.join('; ')}. If app ${kept.app_id} cannot connect (auth_failed), give it its current ` +
        `secret: PUT /api/v1/dingtalk-apps/${kept.app_id}`,
    );
  }
}

/** Whether two sealed secrets hold the same one: null when that cannot be told (no key, or sealed under another). */
function sameSecret(open: OpenSealed | null, a: string, b: string): boolean | null {
  if (a === b) return true;
  if (!open) return null;
  try {
    return open(a) === open(b);
  } catch {
    return null;
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** Message templates, and bots pointing at them: deleting a template returns its bots to the built-in one. */
export class CreateMessageTemplates1764000500000 implements MigrationInterface {
  // The name recorded in schema_migrations, the class's own: said here so that no build that renames classes (a
  // minifier) could make it look pending.
  name = 'CreateMessageTemplates1764000500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE message_templates (
        id          SERIAL PRIMARY KEY,
        name        VARCHAR(100) NOT NULL,
        store_id    INTEGER NULL,
        msg_type    VARCHAR(16) NOT NULL CHECK (msg_type IN ('text', 'markdown')),
        title       VARCHAR(200) NOT NULL,
        body        TEXT NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX idx_message_templates_store ON message_templates (store_id)`);
    // Bots created before templates existed may hold a number that names nothing.
    await runner.query(`UPDATE ding_talk_bots SET template_id = NULL WHERE template_id IS NOT NULL`);
    await runner.query(`
      ALTER TABLE ding_talk_bots ADD CONSTRAINT fk_ding_talk_bots_template
        FOREIGN KEY (template_id) REFERENCES message_templates (id) ON DELETE SET NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ding_talk_bots DROP CONSTRAINT fk_ding_talk_bots_template`);
    await runner.query(`DROP TABLE message_templates`);
  }
}

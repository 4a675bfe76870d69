import { QueryRunner } from 'typeorm';

/**
 * Opens a sealed credential (SecretBox.open under DATA_ENCRYPTION_KEY). Given to the migrations that must tell whether
 * two sealed secrets are the same one (each is sealed with its own IV, so SQL cannot), to report what they merged;
 * they never write with it.
 */
export type OpenSealed = (sealed: string) => string;

const OPENER = 'openSealed';

/** Hands `open` to the migrations run on `runner` (through the runner's `data`, TypeORM's bag for such things). */
export function giveSecretOpener(runner: QueryRunner, open: OpenSealed | undefined): void {
  if (open) runner.data = { ...runner.data, [OPENER]: open };
}

/** The opener the migrations' runner was given, or null (e.g. the test template's migration, which has no key). */
export function secretOpener(runner: QueryRunner): OpenSealed | null {
  const open = (runner.data as Record<string, unknown> | undefined)?.[OPENER];
  return typeof open === 'function' ? (open as OpenSealed) : null;
}

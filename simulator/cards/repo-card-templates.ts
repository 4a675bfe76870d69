import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The id the simulator gives the repository's kitchen confirmation template (docs/dingtalk/cards/README.md). DingTalk
 * gives an imported template an id of its own (`<uuid>.schema`), which the service takes from bot configuration; in
 * the simulator this one is known from the start.
 */
export const KITCHEN_CONFIRMATION_TEMPLATE_ID = 'kitchen-confirmation.schema';

const KITCHEN_CONFIRMATION_FILE = join(
  __dirname,
  '..',
  '..',
  'docs',
  'dingtalk',
  'cards',
  'kitchen-confirmation.json',
);

/** The card templates that ship in the repository, as users import them into DingTalk's card platform. */
export function repoCardTemplates(): Array<{ id: string; template: string }> {
  return [
    { id: KITCHEN_CONFIRMATION_TEMPLATE_ID, template: readFileSync(KITCHEN_CONFIRMATION_FILE, 'utf8') },
  ];
}

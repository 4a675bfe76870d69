import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/load-config';
import { ROLES, Role } from './auth-user';
import { issueToken } from './token-issuer';

const USAGE = `Usage: npm run token -- --role admin
       npm run token -- --role store_admin --store 1 [--store 2 …]
Options: --sub <name> (default: cli-<role>)  --expires-in <seconds> (default: 30 days; 0 = never)`;

/** `npm run token`: prints a bearer token signed with the configured secret (claims: README, HTTP API). */
function main(): number {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string' },
        store: { type: 'string', multiple: true },
        sub: { type: 'string' },
        'expires-in': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) {
    console.error(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
    return 2;
  }
  const stores = (values.store ?? []).map(Number);
  if (
    role === 'store_admin' &&
    (stores.length === 0 || !stores.every((id) => Number.isSafeInteger(id) && id > 0))
  ) {
    console.error(`a store_admin token needs one or more --store <positive id>\n${USAGE}`);
    return 2;
  }
  const expiresIn = values['expires-in'] === undefined ? 30 * 24 * 3600 : Number(values['expires-in']);
  if (!Number.isSafeInteger(expiresIn) || expiresIn < 0) {
    console.error(`--expires-in must be a whole number of seconds\n${USAGE}`);
    return 2;
  }
  try {
    const config = loadConfig(process.env);
    const token = issueToken(
      config.jwtSecret,
      { sub: values.sub ?? `cli-${role}`, role, store_ids: stores },
      expiresIn === 0 ? undefined : expiresIn,
    );
    console.log(token);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();

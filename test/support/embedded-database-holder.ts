// The embedded database in a process of its own, for tests that kill its owner: started on the DATA_DIR given as
// the first argument, it prints {"serverPid": …, "url": …} as one line, and stops the server and exits when its
// stdin ends. Run with `node -r scripts/ts-register.js`.
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../src/database/embedded/embedded-database';

const dataDir = process.argv[2];
startEmbeddedDatabase(join(dataDir, 'db'), dataDir, { durable: false }).then(
  (database) => {
    process.stdout.write(`${JSON.stringify({ serverPid: database.serverPid, url: database.url })}\n`);
    process.stdin.on('end', () => void database.stop().then(() => process.exit(0)));
    process.stdin.resume();
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);

'use strict';
// Runs PGlite (PostgreSQL compiled to WebAssembly) in its own thread and serves it over the PostgreSQL wire
// protocol on 127.0.0.1, so that TypeORM's ordinary `pg` driver can use it. In the main thread PGlite would block
// the event loop for the whole of every query. Plain JavaScript so that the same file runs under the test runner
// (which compiles only the main thread's TypeScript) and from dist/.
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

let db;
let server;

// PGlite's defaults suit a browser tab. A server process keeps its WebAssembly memory for good, so the buffer pool
// is kept small: the files behind it stay in the operating system's page cache, outside this process.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB', '-c', 'wal_buffers=2MB'];

async function start() {
  db = await PGlite.create(workerData.directory, { startParams: START_PARAMS });
  if (workerData.initOnly) {
    // initdb's own WebAssembly instance stays allocated as long as this thread lives (hundreds of MiB): a fresh
    // directory is created by a thread of its own, which then exits and gives that memory back.
    await db.close();
    parentPort.postMessage({ type: 'initialized' });
    return;
  }
  server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: workerData.maxConnections,
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  parentPort.postMessage({ type: 'ready', port });
}

async function stop() {
  if (server) await server.stop();
  if (db) await db.close();
  parentPort.postMessage({ type: 'stopped' });
}

parentPort.on('message', (message) => {
  if (message && message.type === 'stop') {
    stop().catch((error) => parentPort.postMessage({ type: 'error', message: String(error && error.stack) }));
  }
});

start().catch((error) => {
  parentPort.postMessage({ type: 'error', message: String((error && error.stack) || error) });
});

import { connect, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app';

/** Opens a TCP connection to the application and sends nothing on it, as a client's spare connection does. */
async function silentConnection(url: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed };
}

/**
 * Stopping the HTTP server (SIGTERM, a test's close) does not wait for connections that have no request in
 * progress: Node reaps the idle keep-alive ones, but one that never sent a request counted as busy until its headers
 * timeout, so every stop after a browser or client had left a spare connection took about a minute.
 */
describe('HTTP server at shutdown', () => {
  const kit = useTestApp();

  it('closes a connection that has sent no request, and the stop does not wait for it', async () => {
    expect((await kit.t.request('GET', '/health')).status).toBeLessThan(500);
    const { closed } = await silentConnection(kit.t.url);
    await kit.t.close();
    await closed;
  });
});

import { Socket } from 'node:net';
import { FastifyInstance } from 'fastify';

/**
 * At shutdown, closes the connections that have no request in progress, so that a stop does not wait for them.
 *
 * Node's server.close() only reaps keep-alive connections whose last request was answered; a connection that was
 * opened but has not sent a request yet (a browser's or an HTTP client's spare connection, a load balancer's probe)
 * counts as busy until its headers timeout (60 s), and the stop waited for it. Requests in progress run to their
 * end (Fastify answers them with `Connection: close`); connections that arrive while closing are refused.
 */
export function closeWaitingConnectionsOnClose(fastify: FastifyInstance): void {
  const requestsInProgress = new Map<Socket, number>();
  let closing = false;
  fastify.server.on('connection', (socket: Socket) => {
    if (closing) return void socket.destroy();
    requestsInProgress.set(socket, 0);
    socket.once('close', () => requestsInProgress.delete(socket));
  });
  fastify.server.on(
    'request',
    (request: { socket: Socket }, response: { once(e: 'close', f: () => void): void }) => {
      const socket = request.socket;
      if (!requestsInProgress.has(socket)) return;
      requestsInProgress.set(socket, requestsInProgress.get(socket)! + 1);
      response.once('close', () => {
        const count = requestsInProgress.get(socket);
        if (count === undefined) return;
        requestsInProgress.set(socket, count - 1);
        if (closing && count === 1) socket.destroySoon();
      });
    },
  );
  fastify.addHook('preClose', (done) => {
    closing = true;
    for (const [socket, count] of requestsInProgress) if (count === 0) socket.destroy();
    done();
  });
}

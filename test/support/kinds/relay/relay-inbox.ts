import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RelayedMessage } from './relay.sender';

/** The local HTTP server a relay bot posts to: it keeps what arrived, and answers 200 (or `status`). */
export interface RelayInbox {
  url: string;
  received: RelayedMessage[];
  /** The answer to the next posts (200 by default). */
  status: number;
  close(): Promise<void>;
}

export async function startRelayInbox(): Promise<RelayInbox> {
  const inbox = { received: [] as RelayedMessage[], status: 200 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (inbox.status === 200) inbox.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(inbox.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(inbox, {
    url: `http://127.0.0.1:${port}/inbox?access_token=relay-test-token`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  });
}

import { startSimulator } from './simulator';

/** `npm run sim`: an offline DingTalk for demos and local development. Stop it with Ctrl-C. */
async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 3900);
  const host = process.env.SIM_HOST ?? '127.0.0.1';
  const publicUrl = process.env.SIM_PUBLIC_URL || undefined;
  const simulator = await startSimulator({ port, host, publicUrl });
  const listening = `http://${host}:${port}`;
  const lines = [
    `DingTalk simulator listening on ${listening}${publicUrl ? ` (the service reaches it as ${publicUrl})` : ''}`,
    `  web page:     ${listening}/`,
    `  control API:  ${listening}/_sim/…  (see simulator/README.md)`,
    '',
    'Point the service at it with:',
    ...Object.entries(simulator.env).map(([name, value]) => `  export ${name}=${value}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

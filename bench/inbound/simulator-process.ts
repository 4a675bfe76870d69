import { startSimulator } from '../../simulator/simulator';

/**
 * The DingTalk simulator as a process of its own for the inbound benchmark (bench/inbound.bench.ts), so that neither
 * the load nor the system under test shares its event loop: prints `LISTENING <port>` once it serves on 127.0.0.1.
 */
async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  process.stdout.write(`LISTENING ${new URL(sim.url).port}\n`);
  process.once('SIGTERM', () => {
    void sim.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

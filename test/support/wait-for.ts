/**
 * Polls `condition` (in real time) until it holds, and fails with `description` after `timeoutMs`. For waiting on
 * things that happen over sockets; never a sleep that stands in for an assertion.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  description = 'condition',
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (performance.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

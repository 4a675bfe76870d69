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

/** Like waitFor, for a probe that yields a value once ready (undefined or false: not yet); returns that value. */
export async function waitForValue<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  description = 'value',
  timeoutMs = 20_000,
): Promise<T> {
  let value: T | undefined | false;
  await waitFor(
    async () => {
      value = await probe();
      return value !== undefined && value !== false;
    },
    description,
    timeoutMs,
  );
  return value as T;
}

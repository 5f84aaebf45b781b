/** How often a condition is looked at; it is never what a test waits for. */
const POLL_MS = 20;

/**
 * Resolves with the first value `probe` gives that is not undefined, null or false: a wait for a
 * condition (a row present, a session blocked), never for a length of time. Fails after
 * `timeoutMs`, naming `what`, so a condition that never comes says so.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  { what = 'condition', timeoutMs = 15_000 }: { what?: string; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // The pause between two looks at the condition, not a wait for time: the loop ends on the condition.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

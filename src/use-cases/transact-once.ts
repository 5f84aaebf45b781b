import type { Repos, Store } from '../ports.ts';

/** The answer to a Slack delivery whose key was already processed: it has had its effect. */
export interface Duplicate {
  kind: 'duplicate';
}

/** Carries a refusal out of the transaction, so that the transaction and its key roll back. */
class Refusal<R> extends Error {
  readonly result: R;
  constructor(result: R) {
    super('refused: rolled back so the key stays free');
    this.result = result;
  }
}

/**
 * Runs `fn` in one transaction that also records `key` (a modal's view id, a button press), so a
 * delivery takes effect once however often it arrives: a double click, a replayed payload, two
 * replicas. The key is inserted first: a concurrent delivery of the same key waits on its unique
 * index until this transaction ends, then finds it (a duplicate) or, after a rollback, runs itself.
 * A result that took no effect (a refusal the person can fix and submit again) rolls the key back
 * with everything else; so does a failure, and a crash can never keep an effect without its key or
 * a key without its effect. Without a key, `fn` simply runs in a transaction.
 */
export async function transactOnce<R>(
  store: Store,
  once: { key: string | undefined; at: Date; tookEffect: (result: R) => boolean },
  fn: (tx: Repos) => Promise<R>,
): Promise<R | Duplicate> {
  try {
    return await store.transaction(async (tx): Promise<R | Duplicate> => {
      if (once.key === undefined) return fn(tx);
      if (!(await tx.slackEvents.insertOnce(once.key, once.at))) return { kind: 'duplicate' };
      const result = await fn(tx);
      if (!once.tookEffect(result)) throw new Refusal(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Refusal) return error.result as R;
    throw error;
  }
}

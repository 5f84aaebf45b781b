// The sandbox page sends an `Idempotency-Key` with every action, one per submission: a request
// that arrives again with the same key (a double click, a retry after a lost answer) gets the
// first one's answer and has no second effect, as a real LINE or Slack client sends a message once.
// https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,200}$/;
const REMEMBERED = 1000;

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export type IdempotentOutcome =
  | { kind: 'answer'; answer: Answer; replayed: boolean }
  | { kind: 'bad_key' }
  /** The key was first used for another request: the IETF draft's 422. */
  | { kind: 'key_reused' };

export class IdempotentRequests {
  private readonly seen = new Map<string, { fingerprint: string; answer: Promise<Answer> }>();

  /**
   * Runs `work` once per key. The first request's answer is remembered before its work starts,
   * so a duplicate that arrives while it runs waits for the same answer instead of running again.
   */
  async run(
    key: string | undefined,
    fingerprint: string,
    work: () => Promise<Answer>,
  ): Promise<IdempotentOutcome> {
    if (key === undefined) return { kind: 'answer', answer: await work(), replayed: false };
    if (!KEY.test(key)) return { kind: 'bad_key' };
    const known = this.seen.get(key);
    if (known) {
      if (known.fingerprint !== fingerprint) return { kind: 'key_reused' };
      return { kind: 'answer', answer: await known.answer, replayed: true };
    }
    const answer = work();
    this.seen.set(key, { fingerprint, answer });
    if (this.seen.size > REMEMBERED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return { kind: 'answer', answer: await answer, replayed: false };
  }
}

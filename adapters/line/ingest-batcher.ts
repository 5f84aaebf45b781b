import { isPermanentDataError, rootMessage } from '../../src/errors.ts';
import type { InboundLineEvent, IngestResult } from '../../src/use-cases/ingest-line-events.ts';

export interface BatchAnswer {
  stored: number;
  duplicates: number;
  /** Events the database refused for good, kept in the dead-letter table instead. */
  deadLettered: number;
}

interface Pending {
  events: InboundLineEvent[];
  resolve: (result: BatchAnswer) => void;
  reject: (error: unknown) => void;
}

/** Keeps an event the database refused for good, with the reason. */
export type SetAside = (event: InboundLineEvent, reason: string) => Promise<void>;

/** More events than this wait for the next transaction, to keep each one short. */
const MAX_EVENTS_PER_BATCH = 500;
/** Two transactions in flight: one is being built while the other waits on the database. */
const MAX_WRITERS = 2;

/**
 * Group commit for webhooks: while transactions are being written, the webhooks that arrive
 * meanwhile queue up and are stored together in the next one. An idle server writes each webhook
 * at once (no added wait); a busy one writes many per round trip. Every request is still answered
 * only after its own events are committed. If a batch fails, its requests are retried one by one,
 * so one bad webhook never fails the others; and when the failure is the data's own (an event
 * PostgreSQL refuses whatever we do), the webhook's events are tried one by one too, so the one
 * bad event is set aside (dead-lettered) and the others in the same webhook are stored.
 * A transient failure (a lost connection) fails the request: LINE delivers it again.
 */
export class IngestBatcher {
  private readonly ingest: (events: InboundLineEvent[]) => Promise<IngestResult>;
  private readonly setAside: SetAside | undefined;
  private readonly queue: Pending[] = [];
  private writers = 0;

  constructor(ingest: (events: InboundLineEvent[]) => Promise<IngestResult>, setAside?: SetAside) {
    this.ingest = ingest;
    this.setAside = setAside;
  }

  submit(events: InboundLineEvent[]): Promise<BatchAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (this.writers < MAX_WRITERS) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writers += 1;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          const result = await this.ingest(batch.flatMap((pending) => pending.events));
          settle(batch, result.storedIds);
        } catch {
          await this.oneByOne(batch);
        }
      }
    } finally {
      this.writers -= 1;
    }
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let events = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending;
      if (batch.length > 0 && events + next.events.length > MAX_EVENTS_PER_BATCH) break;
      batch.push(next);
      events += next.events.length;
      this.queue.shift();
    }
    return batch;
  }

  private async oneByOne(batch: Pending[]): Promise<void> {
    for (const pending of batch) {
      try {
        const result = await this.ingest(pending.events);
        settle([pending], result.storedIds);
      } catch (error) {
        if (!this.setAside || !isPermanentDataError(error)) {
          pending.reject(error);
          continue;
        }
        await this.eventByEvent(pending.events, this.setAside).then(pending.resolve, pending.reject);
      }
    }
  }

  private async eventByEvent(events: InboundLineEvent[], setAside: SetAside): Promise<BatchAnswer> {
    const answer: BatchAnswer = { stored: 0, duplicates: 0, deadLettered: 0 };
    for (const event of events) {
      try {
        const result = await this.ingest([event]);
        answer.stored += result.stored;
        answer.duplicates += result.duplicates;
      } catch (error) {
        if (!isPermanentDataError(error)) throw error;
        await setAside(event, rootMessage(error));
        answer.deadLettered += 1;
      }
    }
    return answer;
  }
}

/** Each request counts as stored the events it was the first to bring. */
function settle(batch: Pending[], storedIds: Set<string>): void {
  const counted = new Set<string>();
  for (const pending of batch) {
    let stored = 0;
    for (const event of pending.events) {
      if (storedIds.has(event.webhookEventId) && !counted.has(event.webhookEventId)) {
        counted.add(event.webhookEventId);
        stored += 1;
      }
    }
    pending.resolve({ stored, duplicates: pending.events.length - stored, deadLettered: 0 });
  }
}

import type { InboundLineEvent, IngestResult } from '../../src/use-cases/ingest-line-events.ts';

interface Pending {
  events: InboundLineEvent[];
  resolve: (result: { stored: number; duplicates: number }) => void;
  reject: (error: unknown) => void;
}

/** More events than this wait for the next transaction, to keep each one short. */
const MAX_EVENTS_PER_BATCH = 500;
/** Two transactions in flight: one is being built while the other waits on the database. */
const MAX_WRITERS = 2;

/**
 * Group commit for webhooks: while transactions are being written, the webhooks that arrive
 * meanwhile queue up and are stored together in the next one. An idle server writes each webhook
 * at once (no added wait); a busy one writes many per round trip. Every request is still answered
 * only after its own events are committed. If a batch fails, its requests are retried one by one,
 * so one bad webhook never fails the others.
 */
export class IngestBatcher {
  private readonly ingest: (events: InboundLineEvent[]) => Promise<IngestResult>;
  private readonly queue: Pending[] = [];
  private writers = 0;

  constructor(ingest: (events: InboundLineEvent[]) => Promise<IngestResult>) {
    this.ingest = ingest;
  }

  submit(events: InboundLineEvent[]): Promise<{ stored: number; duplicates: number }> {
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
        } catch (error) {
          if (batch.length === 1) batch[0]?.reject(error);
          else await this.oneByOne(batch);
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
        pending.reject(error);
      }
    }
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
    pending.resolve({ stored, duplicates: pending.events.length - stored });
  }
}

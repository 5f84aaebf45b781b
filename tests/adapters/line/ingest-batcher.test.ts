import { describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../../adapters/line/ingest-batcher.ts';
import type { InboundLineEvent, IngestResult } from '../../../src/use-cases/ingest-line-events.ts';

const event = (id: string): InboundLineEvent => ({
  webhookEventId: id,
  timestamp: new Date(0),
  userId: 'U1',
  raw: {},
  type: 'other',
  eventType: 'test',
});

/** A stand-in for the real ingest: remembers ids across calls, like the unique key does. */
function fakeStore(opts: { failWhen?: (ids: string[]) => boolean } = {}) {
  const seen = new Set<string>();
  const calls: string[][] = [];
  const ingest = async (events: InboundLineEvent[]): Promise<IngestResult> => {
    const ids = events.map((e) => e.webhookEventId);
    calls.push(ids);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (opts.failWhen?.(ids)) throw new Error('database said no');
    const storedIds = new Set<string>();
    for (const id of ids) {
      if (!seen.has(id)) {
        seen.add(id);
        storedIds.add(id);
      }
    }
    return { stored: storedIds.size, duplicates: ids.length - storedIds.size, storedIds };
  };
  return { ingest, calls };
}

describe('IngestBatcher (group commit of webhooks)', () => {
  it('writes lone webhooks at once (two at a time), and the ones that arrive meanwhile together', async () => {
    const store = fakeStore();
    const batcher = new IngestBatcher(store.ingest);
    const results = await Promise.all([
      batcher.submit([event('a')]),
      batcher.submit([event('b')]),
      batcher.submit([event('c'), event('d')]),
    ]);
    expect(store.calls).toEqual([['a'], ['b'], ['c', 'd']]);
    expect(results).toEqual([
      { stored: 1, duplicates: 0, deadLettered: 0 },
      { stored: 1, duplicates: 0, deadLettered: 0 },
      { stored: 2, duplicates: 0, deadLettered: 0 },
    ]);
  });

  it('counts an event brought by two concurrent requests as stored once, for the first', async () => {
    const store = fakeStore();
    const batcher = new IngestBatcher(store.ingest);
    const results = await Promise.all([
      batcher.submit([event('x')]),
      batcher.submit([event('y')]),
      batcher.submit([event('y')]),
      batcher.submit([event('x')]),
    ]);
    // Whichever request's write stores an event first counts it; the other sees a duplicate.
    expect(results.map((r) => r.stored).reduce((a, b) => a + b)).toBe(2);
    expect(results.map((r) => r.duplicates).reduce((a, b) => a + b)).toBe(2);
  });

  it('retries a failed batch request by request, so one bad webhook fails only itself', async () => {
    const store = fakeStore({ failWhen: (ids) => ids.includes('bad') });
    const batcher = new IngestBatcher(store.ingest);
    const first = Promise.all([batcher.submit([event('warm-1')]), batcher.submit([event('warm-2')])]);
    const outcomes = await Promise.allSettled([
      batcher.submit([event('good-1')]),
      batcher.submit([event('bad')]),
      batcher.submit([event('good-2')]),
    ]);
    await first;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.calls).toEqual([
      ['warm-1'],
      ['warm-2'],
      ['good-1', 'bad', 'good-2'],
      ['good-1'],
      ['bad'],
      ['good-2'],
    ]);
  });
});

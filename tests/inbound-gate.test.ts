import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/create-logger.ts';
import { InboundGate } from '../src/inbound-gate.ts';
import { buildServer } from '../src/server.ts';
import { eventually } from './support/eventually.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A gate on the fake clock: the grace period and the bounds are timers the test advances. */
function fakeGate(graceMs = 20) {
  vi.useFakeTimers();
  return new InboundGate({ graceMs, now: () => Date.now() });
}

const settledYet = async (promise: Promise<void>) => {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await vi.advanceTimersByTimeAsync(0);
  return settled;
};

describe('InboundGate', () => {
  it('is open with no request, and shut while one is answered and for the grace period after', async () => {
    const gate = fakeGate(20);
    expect(gate.busy).toBe(false);
    expect(await settledYet(gate.whenClear(1000))).toBe(true);
    gate.enter();
    expect(gate.busy).toBe(true);
    const waiting = gate.whenClear(1000);
    expect(await settledYet(waiting)).toBe(false);
    gate.leave();
    expect(gate.busy).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(await settledYet(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(15);
    expect(gate.busy).toBe(false);
    expect(await settledYet(waiting)).toBe(true);
  });

  it('a request of the same burst keeps it shut; it opens when the last has ended', async () => {
    const gate = fakeGate(20);
    gate.enter();
    gate.enter();
    const waiting = gate.whenClear(1000);
    gate.leave();
    await vi.advanceTimersByTimeAsync(30);
    expect(await settledYet(waiting)).toBe(false);
    gate.leave();
    await vi.advanceTimersByTimeAsync(10);
    gate.enter();
    await vi.advanceTimersByTimeAsync(30);
    expect(await settledYet(waiting)).toBe(false);
    gate.leave();
    await vi.advanceTimersByTimeAsync(25);
    expect(await settledYet(waiting)).toBe(true);
  });

  it('never holds background work longer than the bound, even under a steady stream of requests', async () => {
    const gate = fakeGate(20);
    gate.enter();
    const waiting = gate.whenClear(50);
    await vi.advanceTimersByTimeAsync(49);
    expect(await settledYet(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await settledYet(waiting)).toBe(true);
    expect(gate.busy).toBe(true);
  });
});

describe('the server counts the requests it is answering', () => {
  it('from arrival to the answer, and a caller who hangs up first is let go', async () => {
    const gate = new InboundGate({ graceMs: 0 });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: boolean[] = [];
    const app = buildServer({
      logger: createLogger('silent'),
      inbound: gate,
      lineWebhook: async (scope) => {
        scope.get('/slow', async () => {
          seen.push(gate.busy);
          await held;
          return { ok: true };
        });
        scope.get('/quick', async () => {
          seen.push(gate.busy);
          return { ok: true };
        });
      },
      slackEvents: async () => {},
      isReady: async () => true,
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect((await fetch(`${url}/quick`)).status).toBe(200);
      await eventually(async () => !gate.busy, { what: 'the gate open after the answer' });
      // A caller who gives up: the gate opens without the answer ever being written.
      const req = request(`${url}/slow`);
      req.on('error', () => {});
      req.end();
      await eventually(async () => seen.length === 2, { what: 'the slow request in its handler' });
      expect(gate.busy).toBe(true);
      req.destroy();
      await eventually(async () => !gate.busy, { what: 'the gate open after the caller hung up' });
      release();
      expect(seen).toEqual([true, true]);
    } finally {
      release();
      await app.close();
    }
  });
});

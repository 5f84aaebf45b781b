import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxJob, Repos, StoredMessage } from '../../../src/ports.ts';
import { alertHandlers } from '../../../src/use-cases/delivery/alert-handlers.ts';
import { onDeliveryGivenUp } from '../../../src/use-cases/delivery/deliver-outbox-item.ts';
import { followUpHandlers } from '../../../src/use-cases/delivery/follow-up-handlers.ts';
import { leadCardHandlers } from '../../../src/use-cases/delivery/lead-card-handlers.ts';
import type { OutboxHandlers, OutboxKind } from '../../../src/use-cases/delivery/outbox-handler.ts';
import { outboxHandlers } from '../../../src/use-cases/delivery/outbox-handlers.ts';
import { relayHandlers } from '../../../src/use-cases/delivery/relay-handlers.ts';

/** Every job kind, once: `satisfies` fails the typecheck when OutboxJob gains or loses a kind. */
const everyKind = Object.keys({
  'line.profile': true,
  'line.push': true,
  'slack.thread': true,
  'slack.relay': true,
  'slack.notice': true,
  'slack.reaction': true,
  'slack.claimed': true,
  'slack.staff_name': true,
  'slack.card': true,
  'slack.digest': true,
  'slack.escalation': true,
  'slack.alarm_taken': true,
  'line.ack': true,
  'slack.alert': true,
  'line.step': true,
  'line.step_pushes': true,
  'line.step_multicast': true,
  'line.lead_answer': true,
  'slack.quota': true,
  'slack.export': true,
  'slack.export_failed': true,
  'slack.stats_chart': true,
  'slack.stats_note': true,
  'slack.stats_report': true,
} satisfies Record<OutboxKind, true>);

describe('outbox handlers', () => {
  it('has one handler for each job kind and nothing else', () => {
    expect(Object.keys(outboxHandlers).sort()).toEqual([...everyKind].sort());
  });

  it('fails the typecheck when a kind has no handler (npm run typecheck checks this file)', () => {
    // @ts-expect-error the staff feature's handlers are left out, so 'slack.staff_name' has none
    const incomplete: OutboxHandlers = {
      ...relayHandlers,
      ...leadCardHandlers,
      ...followUpHandlers,
      ...alertHandlers,
    };
    expect(Object.keys(incomplete)).not.toContain('slack.staff_name');
  });
});

describe('onDeliveryGivenUp', () => {
  const silent = { info() {}, warn() {}, error() {} };
  const itemOf = (job: OutboxJob): OutboxItem => ({
    id: 1,
    job,
    orderKey: 'lead:L0',
    retryKey: null,
    attempts: 5,
    createdAt: new Date(0),
    claimedAt: new Date(0),
  });
  const message = { id: 'M1', leadId: 'L1', authorId: 'U0REP', status: 'pending' } as StoredMessage;
  /** Just the reads and writes a give-up makes, recorded. */
  function fakeTx() {
    const failed: Array<[string, string]> = [];
    const tx = {
      messages: {
        get: async (id: string) => (id === message.id ? message : null),
        markFailed: async (id: string, error: string) => void failed.push([id, error]),
      },
      threads: {
        get: async (leadId: string, target: string) =>
          leadId === 'L1' && target === 'U0REP'
            ? { leadId, target, channelId: 'D0REP', threadTs: '1.000100' }
            : null,
      },
    } as unknown as Repos;
    return { tx, failed };
  }
  const alert = (failedKind: OutboxJob['kind'], leadId: string | null) => [
    { job: { kind: 'slack.alert', leadId, failedKind, error: 'boom' }, orderKey: 'alerts' },
  ];

  it.each<[string, OutboxJob, unknown[]]>([
    ['a thread, naming its lead', { kind: 'slack.thread', leadId: 'L2' }, alert('slack.thread', 'L2')],
    [
      'a relay, naming its lead',
      { kind: 'slack.relay', messageId: 'M9', leadId: 'L2' },
      alert('slack.relay', 'L2'),
    ],
    [
      'an older relay row, finding the lead through its message',
      { kind: 'slack.relay', messageId: 'M1' },
      alert('slack.relay', 'L1'),
    ],
    [
      'a digest, naming no lead',
      { kind: 'slack.digest', repId: 'U0REP', date: '2026-11-25' },
      alert('slack.digest', null),
    ],
    ['a reaction, with nothing', { kind: 'slack.reaction', channelId: 'C1', ts: '1.0', name: 'eyes' }, []],
    ['a staff name, with nothing', { kind: 'slack.staff_name', userId: 'U0REP' }, []],
    [
      'an alert, with nothing, so failures cannot chain',
      { kind: 'slack.alert', leadId: 'L1', failedKind: 'slack.relay', error: 'x' },
      [],
    ],
  ])('answers a given-up %s', async (_what, job, expected) => {
    const { tx } = fakeTx();
    expect(await onDeliveryGivenUp({ logger: silent }, itemOf(job), 'boom', tx)).toEqual(expected);
  });

  it('marks a given-up LINE reply failed and tells its author in their thread', async () => {
    const { tx, failed } = fakeTx();
    const entries = await onDeliveryGivenUp(
      { logger: silent },
      itemOf({ kind: 'line.push', messageId: 'M1' }),
      'boom',
      tx,
    );
    expect(failed).toEqual([['M1', 'boom']]);
    expect(entries).toEqual([
      {
        job: {
          kind: 'slack.notice',
          leadId: 'L1',
          notice: { key: 'push_failed', error: 'boom' },
          channelId: 'D0REP',
          threadTs: '1.000100',
        },
        orderKey: 'lead:L0',
      },
    ]);
  });
});

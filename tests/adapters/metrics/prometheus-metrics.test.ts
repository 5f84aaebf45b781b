import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../../adapters/metrics/prometheus-metrics.ts';
import type { OperationalGauges } from '../../../src/metrics.ts';
import { parseSamples } from '../../support/scrape.ts';

const silent = { info() {}, warn() {}, error() {} };
const gauges: OperationalGauges = {
  outboxPending: 3,
  outboxOldestPendingSeconds: 12.5,
  leadsAwaitingReply: 2,
};

const sample = async (metrics: PrometheusMetrics, name: string, labels: Record<string, string> = {}) =>
  parseSamples(await metrics.registry.metrics()).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;

describe('PrometheusMetrics', () => {
  it('reads the database once per scrape for all of its gauges', async () => {
    let reads = 0;
    const metrics = new PrometheusMetrics({
      readGauges: async () => {
        reads += 1;
        return gauges;
      },
      logger: silent,
    });
    const samples = parseSamples(await metrics.registry.metrics());
    expect(reads).toBe(1);
    const value = (name: string) => samples.find((s) => s.name === name)?.value;
    expect(value('tsuikyaku_outbox_pending')).toBe(3);
    expect(value('tsuikyaku_outbox_oldest_pending_seconds')).toBe(12.5);
    expect(value('tsuikyaku_leads_awaiting_reply')).toBe(2);
    expect(value('tsuikyaku_database_up')).toBe(1);
    await metrics.registry.metrics();
    expect(reads).toBe(2);
  });

  it('answers with NaN gauges and a warning when the database read fails', async () => {
    const warnings: unknown[] = [];
    const metrics = new PrometheusMetrics({
      readGauges: async () => {
        throw new Error('connection refused');
      },
      logger: { ...silent, warn: (obj) => warnings.push(obj) },
    });
    const samples = parseSamples(await metrics.registry.metrics());
    const value = (name: string) => samples.find((s) => s.name === name)?.value;
    expect(value('tsuikyaku_outbox_pending')).toBeNaN();
    expect(value('tsuikyaku_outbox_oldest_pending_seconds')).toBeNaN();
    expect(value('tsuikyaku_leads_awaiting_reply')).toBeNaN();
    expect(value('tsuikyaku_database_up')).toBe(0);
    // One warning per scrape, not one per gauge.
    expect(warnings).toEqual([{ error: 'Error: connection refused' }]);
  });

  it('keeps separate counts per instance, so several services can share a process', async () => {
    const a = new PrometheusMetrics({ readGauges: async () => gauges, logger: silent });
    const b = new PrometheusMetrics({ readGauges: async () => gauges, logger: silent });
    a.outboxDelivery('slack.relay', 'sent');
    a.outboxDelivery('slack.relay', 'sent');
    b.outboxDelivery('slack.relay', 'sent');
    const sent = { kind: 'slack.relay', result: 'sent' };
    expect(await sample(a, 'tsuikyaku_outbox_deliveries_total', sent)).toBe(2);
    expect(await sample(b, 'tsuikyaku_outbox_deliveries_total', sent)).toBe(1);
  });

  it('folds a label value no platform would send into "other"', async () => {
    const metrics = new PrometheusMetrics({ readGauges: async () => gauges, logger: silent });
    metrics.lineWebhookEvent('x'.repeat(200), 'dead_lettered');
    metrics.lineWebhookEvent('bad type"\n', 'dead_lettered');
    metrics.lineWebhookEvent('postback', 'stored');
    const events = 'tsuikyaku_line_webhook_events_total';
    expect(await sample(metrics, events, { type: 'other', result: 'dead_lettered' })).toBe(2);
    expect(await sample(metrics, events, { type: 'postback', result: 'stored' })).toBe(1);
  });

  it('records the last success of a job, not of a failure or a skip', async () => {
    const metrics = new PrometheusMetrics({ readGauges: async () => gauges, logger: silent });
    const last = 'tsuikyaku_job_last_success_timestamp_seconds';
    metrics.jobRun('speed-to-lead', 'success', new Date('2026-11-25T01:00:00Z'));
    metrics.jobRun('speed-to-lead', 'error', new Date('2026-11-25T01:01:00Z'));
    metrics.jobRun('speed-to-lead', 'skipped', new Date('2026-11-25T01:02:00Z'));
    expect(await sample(metrics, last, { job: 'speed-to-lead' })).toBe(
      Date.parse('2026-11-25T01:00:00Z') / 1000,
    );
    expect(await sample(metrics, 'tsuikyaku_job_runs_total', { job: 'speed-to-lead', result: 'error' })).toBe(
      1,
    );
  });
});

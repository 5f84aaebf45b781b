import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { PrometheusMetrics } from '../../../adapters/metrics/prometheus-metrics.ts';
import { MORNING_DIGEST_JOB } from '../../../jobs/morning-digest.ts';
import { PURCHASE_TIMING_JOB } from '../../../jobs/purchase-timing.ts';
import { SPEED_TO_LEAD_JOB } from '../../../jobs/speed-to-lead.ts';
import {
  DELIVERY_RESULTS,
  JOB_RESULTS,
  LINE_EVENT_RESULTS,
  SLACK_REQUEST_RESULTS,
} from '../../../src/metrics.ts';

const RULES_FILE = join(import.meta.dirname, '../../../adapters/metrics/prometheus-alerts.yml');

interface Rule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: { severity?: unknown };
  annotations?: { summary?: unknown; description?: unknown };
}

async function rules(): Promise<Rule[]> {
  const document = parseDocument(await readFile(RULES_FILE, 'utf8'), { uniqueKeys: true });
  expect(document.errors.map(String)).toEqual([]);
  const parsed = document.toJS() as { groups?: { name?: unknown; rules?: Rule[] }[] };
  expect(Array.isArray(parsed.groups)).toBe(true);
  return (parsed.groups ?? []).flatMap((group) => group.rules ?? []);
}

/** Every series name a scrape can show: histograms add _bucket, _sum and _count. */
async function exportedNames(): Promise<Set<string>> {
  const metrics = new PrometheusMetrics({
    readGauges: async () => ({ outboxPending: 0, outboxOldestPendingSeconds: 0, leadsAwaitingReply: 0 }),
    logger: { info() {}, warn() {}, error() {} },
  });
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

/** The label values an expression matches on (`label="a"` or `label=~"a|b"`). */
function matchedValues(expr: string, label: string): string[] {
  const values: string[] = [];
  for (const match of expr.matchAll(new RegExp(`\\b${label}(=~|=)"([^"]*)"`, 'g'))) {
    values.push(...(match[1] === '=~' ? (match[2] ?? '').split('|') : [match[2] ?? '']));
  }
  return values;
}

describe('the example Prometheus alert rules (adapters/metrics/prometheus-alerts.yml)', () => {
  it('are well-formed: every rule has a name, an expression, a severity and a summary', async () => {
    const all = await rules();
    expect(all.length).toBeGreaterThan(5);
    const names = all.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of all) {
      expect(rule.alert).toMatch(/^Tsuikyaku[A-Za-z]+$/);
      expect(typeof rule.expr).toBe('string');
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(typeof rule.annotations?.summary).toBe('string');
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('only name metrics the service exports, or the scrape’s own up', async () => {
    const exported = await exportedNames();
    for (const rule of await rules()) {
      const expr = String(rule.expr);
      const named = [...expr.matchAll(/\b(tsuikyaku_[a-z_]+|process_[a-z_]+|nodejs_[a-z_]+)\b/g)].map(
        (m) => m[1],
      );
      for (const name of named) expect(exported, `${rule.alert}: ${name}`).toContain(name);
      expect(named.length > 0 || /\bup\{/.test(expr), `${rule.alert} names no metric`).toBe(true);
    }
  });

  it('only match on result and job values the service produces', async () => {
    const results = new Set<string>([
      ...LINE_EVENT_RESULTS,
      ...SLACK_REQUEST_RESULTS,
      ...DELIVERY_RESULTS,
      ...JOB_RESULTS,
    ]);
    const jobs = new Set([MORNING_DIGEST_JOB, SPEED_TO_LEAD_JOB, PURCHASE_TIMING_JOB]);
    for (const rule of await rules()) {
      const expr = String(rule.expr);
      for (const value of matchedValues(expr, 'result')) expect(results, String(rule.alert)).toContain(value);
      for (const value of matchedValues(expr, 'exported_job'))
        expect(jobs, String(rule.alert)).toContain(value);
    }
  });
});

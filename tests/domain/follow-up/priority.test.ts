import { describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../../src/domain/follow-up/default-follow-up-settings.ts';
import type { FollowUpCandidate, PriorityMatrix } from '../../../src/domain/follow-up/priority.ts';
import { compareLeadsForFollowUp, priorityScore } from '../../../src/domain/follow-up/priority.ts';
import type { TimingSegment } from '../../../src/domain/follow-up/purchase-timing.ts';
import { SEGMENT_ORDER } from '../../../src/domain/follow-up/purchase-timing.ts';
import { prng } from '../../support/seeded-random.ts';

const matrix = DEFAULT_FOLLOW_UP_SETTINGS.priorityMatrix;
const bandKeys = DEFAULT_FOLLOW_UP_SETTINGS.amountBands.map((band) => band.key);

describe('priorityScore with the default matrix', () => {
  it.each<[TimingSegment, string | null, number]>([
    ['within_1m', 'over_60m', 100],
    ['within_1m', 'up_to_20m', 85],
    ['within_1m', null, 87],
    ['within_3m', 'up_to_40m', 70],
    ['undecided', 'up_to_20m', 5],
    ['undecided', null, 6],
  ])('%s x %s scores %d', (segment, band, score) => {
    expect(priorityScore(segment, band, matrix)).toBe(score);
  });

  const all = SEGMENT_ORDER.flatMap((segment) =>
    [...bandKeys, null].map((band) => ({ segment, band, score: priorityScore(segment, band, matrix) })),
  );

  it('ranks within 1 month x the largest band highest of all', () => {
    const top = all.reduce((best, cell) => (cell.score > best.score ? cell : best));
    expect(top).toMatchObject({ segment: 'within_1m', band: 'over_60m' });
    expect(all.filter((cell) => cell.score === top.score)).toHaveLength(1);
  });

  it('ranks every undecided lead below every lead with a timing', () => {
    const undecided = all.filter((cell) => cell.segment === 'undecided').map((cell) => cell.score);
    const timed = all.filter((cell) => cell.segment !== 'undecided').map((cell) => cell.score);
    expect(Math.max(...undecided)).toBeLessThan(Math.min(...timed));
  });

  it('lets timing dominate: a nearer segment outranks any further one, amount orders within a row', () => {
    SEGMENT_ORDER.slice(1).forEach((segment, i) => {
      const nearer = SEGMENT_ORDER[i] as TimingSegment;
      const nearerMin = Math.min(...Object.values(matrix[nearer]));
      expect(Math.max(...Object.values(matrix[segment])), segment).toBeLessThan(nearerMin);
      const row = bandKeys.map((band) => priorityScore(segment, band, matrix));
      expect(row, segment).toEqual([...row].sort((a, b) => a - b));
    });
  });

  it('scores a band missing from a hand-made row as unknown, then 0', () => {
    const partial = { ...matrix, within_3m: { unknown: 9 }, over_1y: {} } as PriorityMatrix;
    expect(priorityScore('within_3m', 'over_60m', partial)).toBe(9);
    expect(priorityScore('over_1y', 'over_60m', partial)).toBe(0);
  });
});

const lead = (overrides: Partial<FollowUpCandidate>): FollowUpCandidate => ({
  id: 'L1',
  name: '佐藤',
  score: 50,
  segment: 'within_3m',
  amountYen: 30_000_000,
  lastTouchAt: new Date('2024-05-01T00:00:00Z'),
  ...overrides,
});

describe('compareLeadsForFollowUp', () => {
  it.each<[string, Partial<FollowUpCandidate>, Partial<FollowUpCandidate>]>([
    ['higher score', { score: 60 }, { score: 50, segment: 'within_1m' }],
    [
      'nearer segment on equal score',
      { segment: 'within_1m' },
      { segment: 'within_3m', amountYen: 90_000_000 },
    ],
    ['larger amount', { amountYen: 50_000_000 }, { amountYen: 30_000_000, lastTouchAt: null }],
    ['a known amount before an unknown one', { amountYen: 0 }, { amountYen: null }],
    ['longer since last touch', { lastTouchAt: new Date('2024-04-01T00:00:00Z') }, { name: 'あ' }],
    [
      'never touched before touched',
      { lastTouchAt: null },
      { lastTouchAt: new Date('2000-01-01T00:00:00Z') },
    ],
    ['name', { name: '佐藤' }, { name: '鈴木', id: 'L0' }],
    ['id as the last resort', { id: 'L1' }, { id: 'L2' }],
  ])('puts the lead first by %s', (_reason, first, second) => {
    expect(compareLeadsForFollowUp(lead(first), lead(second))).toBeLessThan(0);
    expect(compareLeadsForFollowUp(lead(second), lead(first))).toBeGreaterThan(0);
  });

  it('treats a lead as equal to itself', () => {
    expect(compareLeadsForFollowUp(lead({}), lead({}))).toBe(0);
    expect(compareLeadsForFollowUp(lead({ lastTouchAt: null }), lead({ lastTouchAt: null }))).toBe(0);
  });

  it('gives the same order whatever the input order (property)', () => {
    const random = prng(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
    const leads = Array.from({ length: 300 }, (_, i) => {
      const segment = pick(SEGMENT_ORDER);
      const band = pick([...bandKeys, null]);
      return lead({
        id: `L${i}`,
        name: pick(['佐藤', '鈴木', '高橋', '田中']),
        segment,
        score: priorityScore(segment, band, matrix),
        amountYen: band === null ? null : pick([10_000_000, 30_000_000, 50_000_000, 80_000_000]),
        lastTouchAt: random() < 0.1 ? null : new Date(Date.UTC(2024, 0, 1 + Math.floor(random() * 20))),
      });
    });
    const expected = [...leads].sort(compareLeadsForFollowUp).map((l) => l.id);
    for (let run = 0; run < 20; run++) {
      const shuffled = [...leads];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j] as FollowUpCandidate, shuffled[i] as FollowUpCandidate];
      }
      expect(shuffled.sort(compareLeadsForFollowUp).map((l) => l.id)).toEqual(expected);
    }
    const sorted = [...leads].sort(compareLeadsForFollowUp);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1] as FollowUpCandidate, sorted[i] as FollowUpCandidate];
      expect(a.score).toBeGreaterThanOrEqual(b.score);
      expect(compareLeadsForFollowUp(a, b)).toBeLessThan(0);
    }
  });
});

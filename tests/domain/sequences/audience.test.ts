import { describe, expect, it } from 'vitest';
import {
  canReceiveSteps,
  fitsAudience,
  isImmediateStep,
  isPersonalStep,
  leadSegment,
  stepApplies,
  stepDue,
} from '../../../src/domain/sequences/audience.ts';
import type { Sequence, Step } from '../../../src/domain/sequences/sequence.ts';
import { stepJobs } from '../../../src/use-cases/sequences/dispatch-steps.ts';
import { afterStep } from '../../../src/use-cases/sequences/enrolments.ts';
import { aLead } from '../../support/factories.ts';

const TZ = 'Asia/Tokyo';
const step = (overrides: Partial<Step> = {}): Step => ({
  afterMinutes: 0,
  at: null,
  tags: [],
  messages: [{ type: 'text', text: 'こんにちは' }] as Step['messages'],
  ...overrides,
});
const sequence = (overrides: Partial<Sequence> = {}): Sequence => ({
  id: 's',
  name: 'S',
  trigger: 'segment',
  segments: [],
  tags: [],
  kind: null,
  startAt: null,
  steps: [step()],
  ...overrides,
});

describe('who may receive steps', () => {
  it('is a friend who has not opted out and was not erased', () => {
    expect(canReceiveSteps(aLead())).toBe(true);
    expect(canReceiveSteps(aLead({ status: 'blocked' }))).toBe(false);
    expect(canReceiveSteps(aLead({ optedOutAt: new Date() }))).toBe(false);
    expect(canReceiveSteps(aLead({ erasedAt: new Date() }))).toBe(false);
  });

  it('a lead nobody said anything about has no segment yet; 未定 once answered is a segment', () => {
    expect(leadSegment(aLead(), '2026-12-01')).toBeNull();
    expect(leadSegment(aLead({ announcedSegment: 'undecided' }), '2026-12-01')).toBe('undecided');
    expect(leadSegment(aLead({ purchaseTiming: '2027-02' }), '2026-12-01')).toBe('within_3m');
  });
});

describe('the audience of a sequence', () => {
  it('kind lead is an open deal; kind customer a past customer', () => {
    const forLeads = sequence({ kind: 'lead', trigger: 'manual' });
    const forCustomers = sequence({ kind: 'customer', trigger: 'manual' });
    const customer = aLead({ kind: 'customer', stage: 'won', handoverDate: '2026-10-01' });
    expect(fitsAudience(forLeads, aLead(), [], '2026-12-01')).toBe(true);
    expect(fitsAudience(forLeads, aLead({ stage: 'lost' }), [], '2026-12-01')).toBe(false);
    expect(fitsAudience(forCustomers, customer, [], '2026-12-01')).toBe(true);
    expect(fitsAudience(forCustomers, aLead(), [], '2026-12-01')).toBe(false);
  });

  it('tags filter by any of them (but are the starting tags for trigger tag); segments must match', () => {
    const filtered = sequence({ trigger: 'manual', tags: ['資金計画', 'デザイン'] });
    expect(fitsAudience(filtered, aLead(), ['デザイン'], '2026-12-01')).toBe(true);
    expect(fitsAudience(filtered, aLead(), ['二世帯'], '2026-12-01')).toBe(false);
    expect(fitsAudience(sequence({ trigger: 'tag', tags: ['資金計画'] }), aLead(), [], '2026-12-01')).toBe(
      true,
    );
    const bySegment = sequence({ trigger: 'date', segments: ['within_3m'] });
    expect(fitsAudience(bySegment, aLead({ purchaseTiming: '2027-02' }), [], '2026-12-01')).toBe(true);
    expect(fitsAudience(bySegment, aLead({ purchaseTiming: '2027-12' }), [], '2026-12-01')).toBe(false);
    expect(fitsAudience(bySegment, aLead(), [], '2026-12-01')).toBe(false);
  });

  it('a step with tags applies to leads with any of them', () => {
    expect(stepApplies(step(), [])).toBe(true);
    expect(stepApplies(step({ tags: ['デザイン'] }), ['デザイン'])).toBe(true);
    expect(stepApplies(step({ tags: ['デザイン'] }), ['資金計画'])).toBe(false);
  });
});

describe('timing and grouping of steps', () => {
  it('whole days are calendar days with a time of day; minutes are elapsed time', () => {
    const anchor = new Date('2026-11-30T05:00:00Z'); // 14:00 in Tokyo
    expect(stepDue(step({ afterMinutes: 3 * 1440, at: { hour: 10, minute: 0 } }), anchor, TZ)).toEqual(
      new Date('2026-12-04T01:00:00Z'),
    );
    expect(stepDue(step({ afterMinutes: 30 }), anchor, TZ)).toEqual(new Date('2026-11-30T05:30:00Z'));
    expect(isImmediateStep(step())).toBe(true);
    expect(isImmediateStep(step({ at: { hour: 10, minute: 0 } }))).toBe(false);
  });

  it('after the last step the enrolment is completed; otherwise the next step counts from the send', () => {
    const two = sequence({ steps: [step(), step({ afterMinutes: 60 })] });
    const sent = new Date('2026-12-01T01:00:00Z');
    expect(afterStep(two, 0, sent, TZ)).toEqual({
      nextStep: 1,
      dueAt: new Date('2026-12-01T02:00:00Z'),
      sendAt: new Date('2026-12-01T02:00:00Z'),
    });
    expect(afterStep(two, 1, sent, TZ)).toMatchObject({ nextStep: 2, state: 'completed', endedAt: sent });
  });

  it('a step naming the lead or owner is personal; {company} alone is the same for everyone', () => {
    expect(isPersonalStep(step({ messages: [{ type: 'text', text: '{name}様' }] as Step['messages'] }))).toBe(
      true,
    );
    expect(
      isPersonalStep(step({ messages: [{ type: 'text', text: '担当の{owner}' }] as Step['messages'] })),
    ).toBe(true);
    expect(
      isPersonalStep(step({ messages: [{ type: 'text', text: '{company}です' }] as Step['messages'] })),
    ).toBe(false);
  });

  it('groups identical steps by multicast of at most 500, personal ones and singles by push, 25 to a row', () => {
    const ready = (n: number, personal: boolean, stepIndex = 0) =>
      Array.from({ length: n }, (_, i) => ({
        send: {
          id: `${personal}-${stepIndex}-${i}`,
          leadId: `lead-${i}`,
          sequenceId: 's',
          stepIndex,
          retryKey: `k-${personal}-${stepIndex}-${i}`,
        },
        personal,
      }));
    const entries = stepJobs([...ready(1001, false), ...ready(60, true, 1), ...ready(1, false, 2)]);
    const multicasts = entries.filter((e) => e.job.kind === 'line.step_multicast');
    const pushes = entries.flatMap((e) => (e.job.kind === 'line.step_pushes' ? [e.job.stepSendIds] : []));
    expect(
      multicasts.map((e) => (e.job.kind === 'line.step_multicast' ? e.job.stepSendIds.length : 0)),
    ).toEqual([500, 500]);
    // 1001 = 500 + 500 + 1: the one left over goes by push, as do the personal ones and the lone step.
    expect(pushes.map((ids) => ids.length)).toEqual([25, 25, 12]);
    expect(pushes.flat().sort()).toEqual(
      ['false-0-1000', 'false-2-0', ...Array.from({ length: 60 }, (_, i) => `true-1-${i}`)].sort(),
    );
    // Each multicast has its own retry key; each push uses its step send's (persisted with it).
    expect(new Set(multicasts.map((e) => e.retryKey)).size).toBe(2);
    expect(entries.every((e) => e.lane === 'steps')).toBe(true);
    expect(new Set(entries.map((e) => e.orderKey)).size).toBe(entries.length);
  });
});

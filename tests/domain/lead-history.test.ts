import { describe, expect, it } from 'vitest';
import { leadHistoryDiff } from '../../src/domain/lead-history.ts';
import { aLead } from '../support/factories.ts';

const at = new Date('2026-11-30T01:00:00Z');

describe('leadHistoryDiff', () => {
  it('says nothing when nothing it tracks changed', () => {
    const lead = aLead({ ownerId: 'U1' });
    const touched = { ...lead, snoozedUntil: '2026-12-03', lastTouchAt: at };
    expect(leadHistoryDiff(lead, touched, { at, actor: 'U1' })).toEqual([]);
  });

  it('a new lead: created first, then its owner, in that order', () => {
    const lead = aLead({ source: 'follow', ownerId: 'U1' });
    const facts = leadHistoryDiff(null, lead, { at, actor: 'system', ownerReason: 'round_robin' });
    expect(facts.map((f) => f.fact)).toEqual(['created', 'owner_changed']);
    expect(facts.every((f) => f.leadId === lead.id && f.at === at && f.actor === 'system')).toBe(true);
  });

  it('an owner change without a reason is a programming error', () => {
    const lead = aLead();
    expect(() => leadHistoryDiff(lead, { ...lead, ownerId: 'U2' }, { at, actor: 'U1' })).toThrow(/reason/);
  });

  it('several changes at once give one fact each, in a fixed order', () => {
    const before = aLead({
      ownerId: 'U1',
      amountYen: 1,
      purchaseTiming: '2027-06',
      announcedSegment: 'within_1y',
    });
    const after = {
      ...before,
      ownerId: 'U2',
      stage: 'lost' as const,
      closeReason: '予算',
      purchaseTiming: '2027-01',
      announcedSegment: 'within_3m',
      amountYen: 2,
      status: 'blocked' as const,
      erasedAt: at,
    };
    const facts = leadHistoryDiff(before, after, { at, actor: 'U9', ownerReason: 'reassign' });
    expect(facts.map((f) => f.fact)).toEqual([
      'owner_changed',
      'stage_changed',
      'timing_changed',
      'amount_changed',
      'blocked',
      'erased',
    ]);
    expect(facts[1]).toMatchObject({ reason: 'lost', note: '予算' });
    expect(facts[2]).toMatchObject({
      by: 'rep',
      from: { segment: 'within_1y' },
      to: { segment: 'within_3m' },
    });
  });

  it('a timing set by the bot is the lead’s own answer; the same timing in a nearer segment is ageing', () => {
    const lead = aLead({ purchaseTiming: '2027-06', announcedSegment: 'within_1y' });
    expect(
      leadHistoryDiff(lead, { ...lead, purchaseTiming: '2027-02' }, { at, actor: 'system' })[0],
    ).toMatchObject({ fact: 'timing_changed', by: 'lead' });
    expect(
      leadHistoryDiff(lead, { ...lead, announcedSegment: 'within_6m' }, { at, actor: 'system' })[0],
    ).toMatchObject({ fact: 'timing_changed', by: 'ageing' });
    // The first time a segment is noted is not a change.
    const unseen = { ...lead, announcedSegment: null };
    expect(leadHistoryDiff(unseen, lead, { at, actor: 'system' })).toEqual([]);
  });

  it('names why a stage changed', () => {
    const lead = aLead();
    const to = (stage: 'nurture' | 'won') =>
      leadHistoryDiff(lead, { ...lead, stage }, { at, actor: 'U1' })[0];
    expect(to('nurture')).toMatchObject({ reason: 'unanswered_attempts', note: null });
    expect(to('won')).toMatchObject({ reason: 'won', note: null });
    const nurtured = { ...lead, stage: 'nurture' as const };
    expect(leadHistoryDiff(nurtured, lead, { at, actor: 'system' })[0]).toMatchObject({ reason: 'answered' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  isOpenDeal,
  isPastCustomer,
  isWorkable,
  type Lead,
  leadOrderKey,
  TEAM_TARGET,
  threadTargetOf,
} from '../../src/domain/lead.ts';

describe('threadTargetOf', () => {
  it("keeps an owned lead's thread in its owner's DM", () => {
    expect(threadTargetOf({ ownerId: 'U123' })).toBe('U123');
  });

  it('keeps an unassigned lead in the team channel', () => {
    expect(threadTargetOf({ ownerId: null })).toBe(TEAM_TARGET);
    expect(TEAM_TARGET).toBe('team');
  });
});

describe('leadOrderKey', () => {
  it.each([
    ['0b7d6c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e', 'lead:0b7d6c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e'],
    ['42', 'lead:42'],
  ])('orders every row about lead %j under %j', (leadId, expected) => {
    expect(leadOrderKey(leadId)).toBe(expected);
  });

  it('gives different leads different keys and the same lead the same key', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `lead-${i}`);
    const keys = ids.map(leadOrderKey);
    expect(new Set(keys).size).toBe(ids.length);
    expect(ids.map(leadOrderKey)).toEqual(keys);
  });
});

describe('which leads are followed up', () => {
  type Facts = Pick<Lead, 'stage' | 'kind' | 'handoverDate'> & Partial<Pick<Lead, 'erasedAt'>>;
  it.each<[string, Facts, { openDeal: boolean; pastCustomer: boolean; workable: boolean }]>([
    [
      'an open lead',
      { stage: 'open', kind: 'lead', handoverDate: null },
      { openDeal: true, pastCustomer: false, workable: true },
    ],
    [
      'a nurtured lead',
      { stage: 'nurture', kind: 'lead', handoverDate: null },
      { openDeal: true, pastCustomer: false, workable: true },
    ],
    [
      'a lost lead',
      { stage: 'lost', kind: 'lead', handoverDate: null },
      { openDeal: false, pastCustomer: false, workable: false },
    ],
    [
      'a won deal without a handover date',
      { stage: 'won', kind: 'lead', handoverDate: null },
      { openDeal: false, pastCustomer: false, workable: false },
    ],
    [
      'a customer with a handover date',
      { stage: 'won', kind: 'customer', handoverDate: '2026-11-04' },
      { openDeal: false, pastCustomer: true, workable: true },
    ],
    [
      'a customer without a handover date',
      { stage: 'won', kind: 'customer', handoverDate: null },
      { openDeal: false, pastCustomer: false, workable: false },
    ],
    [
      'a lead with a handover date but not a customer',
      { stage: 'lost', kind: 'lead', handoverDate: '2026-11-04' },
      { openDeal: false, pastCustomer: false, workable: false },
    ],
    [
      'an open deal whose person was erased on request',
      { stage: 'open', kind: 'lead', handoverDate: null, erasedAt: new Date('2026-11-30T00:00:00Z') },
      { openDeal: true, pastCustomer: false, workable: false },
    ],
  ])('%s', (_story, lead, expected) => {
    const facts = { erasedAt: null, ...lead };
    expect({
      openDeal: isOpenDeal(facts),
      pastCustomer: isPastCustomer(facts),
      workable: isWorkable(facts),
    }).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { leadOrderKey, TEAM_TARGET, threadTargetOf } from '../../src/domain/lead.ts';

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

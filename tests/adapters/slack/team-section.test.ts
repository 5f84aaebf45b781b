import { describe, expect, it } from 'vitest';
import { checkMessageContent } from '../../../adapters/slack/fake/slack-payload-rules.ts';
import { DIGEST_PAGE_SIZE, digestMessage } from '../../../adapters/slack/follow-up-blocks.ts';
import { buildDigest } from '../../../src/domain/digest.ts';
import { followUpContext } from '../../../src/domain/follow-up-policy.ts';
import { catalog } from '../../../src/messages.ts';
import type { TeamSummary } from '../../../src/ports.ts';
import { aLead, aPolicy } from '../../support/factories.ts';

const now = new Date('2026-12-02T01:00:00Z');
const ctx = {
  t: catalog('ja'),
  timezone: 'Asia/Tokyo',
  locale: 'ja' as const,
  command: '/tsuikyaku',
  now: () => new Date('2026-12-02T01:00:00Z'),
};

/** `reps` reps, each with five waiting and four neglected leads of long names (three of each named). */
function bigTeam(reps: number): TeamSummary {
  return Array.from({ length: reps }, (_, i) => ({
    ownerId: `U0REP${String(i).padStart(5, '0')}`,
    leads: 20,
    awaiting: 5,
    neglected: 4,
    awaitingLeads: [1, 2, 3].map((n) => aLead({ displayName: `とても長いお名前の見込み客さま 第${n}号` })),
    neglectedLeads: [1, 2, 3].map((n) => aLead({ displayName: `放置されている見込み客さま 第${n}号` })),
  }));
}

const teamText = (team: TeamSummary) => {
  // A full first page of the manager's own list: the team section must still fit Slack's limits.
  const leads = Array.from({ length: DIGEST_PAGE_SIZE + 5 }, (_, i) =>
    aLead({
      displayName: `自分の客 ${i}`,
      ownerId: 'U0ADMIN001',
      createdAt: new Date('2026-11-01T00:00:00Z'),
    }),
  );
  const digest = buildDigest(leads, followUpContext(aPolicy(), now));
  const message = digestMessage(digest, 0, '2026-12-02', now, ctx, team);
  expect(checkMessageContent(message)).toBeUndefined();
  const section = message.blocks.find((b) => JSON.stringify(b).includes('チームの状況')) as {
    text: { text: string };
  };
  return section.text.text;
};

describe('the team section of a manager’s digest', () => {
  it('names three waiting and neglected leads per rep while they fit', () => {
    const text = teamText(bigTeam(3));
    expect(text).toContain(
      '返信待ち 5件: とても長いお名前の見込み客さま 第1号、とても長いお名前の見込み客さま 第2号、',
    );
    expect(text).toContain('第3号ほか2件');
    expect(text).toContain('放置 4件: 放置されている見込み客さま 第1号、');
    expect(text).toContain('一覧: `/tsuikyaku leads @担当者 返信待ち`');
  });

  it('names fewer leads per rep before it leaves any rep out, within one section', () => {
    const team = bigTeam(25);
    const text = teamText(team);
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const row of team) expect(text).toContain(`<@${row.ownerId}>`);
    expect(text).not.toContain('第3号');
  });

  it('lists as many reps as fit, and says how many more there are', () => {
    const text = teamText(bigTeam(120));
    expect(text.length).toBeLessThanOrEqual(3000);
    const shown = (text.match(/<@U0REP/g) ?? []).length;
    expect(shown).toBeGreaterThan(30);
    expect(text).toContain(`ほか${120 - shown}人`);
  });
});

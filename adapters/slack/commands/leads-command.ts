import { SEGMENT_ORDER } from '../../../src/domain/follow-up/purchase-timing.ts';
import { type LeadListWords, parseLeadListArgs } from '../../../src/domain/lead-list-words.ts';
import { type Catalog, catalog } from '../../../src/messages.ts';
import { type LeadListResult, listLeads } from '../../../src/use-cases/list-leads.ts';
import type { BlockContext } from '../block-kit.ts';
import { LEAD_LIST_PAGE_SIZE, leadListMessage } from '../lead-list-blocks.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import type { CommandAnswer, SlashSubcommand } from './command-router.ts';

const STAGES = ['open', 'nurture', 'won', 'lost'] as const;

/** The conditions are typed in the words the product shows in Japanese, whatever LOCALE is, or as ids. */
const ja = catalog('ja');
const WORDS: LeadListWords = {
  segments: ja.followUp.segments,
  stages: ja.followUp.stages,
  awaiting: ja.leads.awaiting,
  neglected: ja.leads.neglected,
};

/**
 * `/tsuikyaku leads [@rep] [segment] [stage] [返信待ち] [放置]`: one page of leads, each with a button
 * that opens its card; a manager sees everyone's, a rep their own. Indexed, paged queries: answered in the ack.
 */
export const leadsCommand: SlashSubcommand<ListenerDeps> = {
  names: ['leads', 'リード一覧'],
  async handle({ deps, args, userId, command, reply }) {
    const { t } = deps;
    const parsed = parseLeadListArgs(args, WORDS);
    if (parsed.kind === 'invalid') {
      const problem =
        parsed.problem === 'unknown' ? t.leads.unknownWord(parsed.word) : t.leads.repeatedWord(parsed.word);
      return reply(`${problem}\n${leadsUsage(t, deps.blocks, command)}`);
    }
    const list = await listLeads(deps, {
      actorId: userId,
      filter: parsed.filter,
      page: 0,
      pageSize: LEAD_LIST_PAGE_SIZE,
    });
    return reply(leadListAnswer(list, deps));
  },
};

/** What the person reads for a list result: the page, or why there is none. */
export function leadListAnswer(
  list: LeadListResult,
  deps: Pick<ListenerDeps, 't' | 'blocks' | 'command'>,
): CommandAnswer {
  const { t } = deps;
  switch (list.kind) {
    case 'not_staff':
      return t.command.notStaffSelf;
    case 'others_leads':
      return t.leads.othersLeads(deps.command);
    case 'unknown_owner':
      return t.command.notStaff(`<@${list.ownerId}>`);
    case 'page':
      return leadListMessage(list, deps.blocks);
  }
}

function leadsUsage(t: Catalog, ctx: BlockContext, command: string): string {
  // Japanese names have no spaces and can be typed; the English ones would split into words.
  const segments =
    ctx.locale === 'ja'
      ? SEGMENT_ORDER.map((s) => ja.followUp.segments[s]).join('・')
      : SEGMENT_ORDER.join(', ');
  const stages =
    ctx.locale === 'ja' ? STAGES.map((s) => ja.followUp.stages[s]).join('・') : STAGES.join(', ');
  return t.leads.usage(command, segments, stages);
}

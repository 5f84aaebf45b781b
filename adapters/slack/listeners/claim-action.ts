import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { claimLead } from '../../../src/use-cases/claim-lead.ts';
import { leadName } from '../block-kit.ts';
import { actionKey } from '../idempotency-key.ts';
import { CLAIM_ACTION_ID } from '../lead-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';

const claimPayload = z.object({
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }),
  message: z.object({ ts: z.string() }),
});

/**
 * 担当する: the first staff member to press it owns the lead; everyone else is told who was first.
 * A press delivered again, or a second press by the new owner, says and changes nothing more.
 */
export function registerClaimAction(app: App, deps: ListenerDeps): void {
  const { t } = deps;
  app.action<BlockButtonAction>(CLAIM_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const payload = claimPayload.safeParse(body);
    const leadId = z.uuid().safeParse(action.value);
    if (!payload.success || !leadId.success) return void (await tell(t.claim.gone));
    const pressKey = actionKey(body);
    const result = await claimLead(deps, {
      leadId: leadId.data,
      userId: payload.data.user.id,
      cardChannelId: payload.data.channel.id,
      cardTs: payload.data.message.ts,
      ...(pressKey ? { idempotencyKey: pressKey } : {}),
    });
    switch (result.kind) {
      case 'claimed':
        deps.kick();
        return void (await tell(t.claim.done(leadName(result.lead, t))));
      case 'duplicate':
        return;
      case 'not_staff':
        return void (await tell(t.claim.notStaff));
      case 'already_owned':
        // Their own earlier press won: they were told then.
        if (result.ownerId === payload.data.user.id) return;
        return void (await tell(t.claim.alreadyClaimed(`<@${result.ownerId}>`)));
      case 'no_such_lead':
        return void (await tell(t.claim.gone));
    }
  });
}

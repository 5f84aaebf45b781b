import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { takeOverLead } from '../../../src/use-cases/take-over-lead.ts';
import { leadName } from '../block-kit.ts';
import { TAKE_OVER_ACTION_ID } from '../escalation-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';

const alarmPayload = z.object({
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }),
  message: z.object({ ts: z.string() }),
});

/**
 * 代わりに対応する on the team channel's alarm: the presser takes the lead over. The answer is
 * ephemeral, where the presser is looking; the alarm itself is redrawn through the outbox.
 */
export function registerTakeOverAction(app: App, deps: ListenerDeps): void {
  const { t } = deps;
  const said = t.escalation.takeOverResult;
  app.action<BlockButtonAction>(TAKE_OVER_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const payload = alarmPayload.safeParse(body);
    const leadId = z.uuid().safeParse(action.value);
    if (!payload.success || !leadId.success) return void (await tell(said.gone));
    const result = await takeOverLead(deps, {
      userId: payload.data.user.id,
      leadId: leadId.data,
      alarmChannelId: payload.data.channel.id,
      alarmTs: payload.data.message.ts,
    });
    switch (result.kind) {
      case 'taken':
        deps.kick();
        return void (await tell(said.done(leadName(result.lead, t))));
      case 'not_staff':
        return void (await tell(said.notStaff));
      case 'no_such_alarm':
        return void (await tell(said.gone));
      case 'not_waiting':
        return void (await tell(said.notWaiting));
      case 'lead_blocked':
        return void (await tell(said.blocked));
      case 'already_taken':
        return void (await tell(said.alreadyTaken(result.ownerId ? `<@${result.ownerId}>` : t.nobody)));
      case 'already_owner':
        return void (await tell(said.alreadyOwner));
    }
  });
}

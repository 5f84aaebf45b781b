import { SEGMENT_ORDER } from '../../src/domain/follow-up/purchase-timing.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import { RESPONSE_BUCKET_KEYS, type ResponseTimes } from '../../src/domain/stats/stats-figures.ts';
import type { StatsReport } from '../../src/use-cases/stats/team-stats.ts';
import { type Block, type BlockContext, mrkdwnSection, shownPeriod } from './block-kit.ts';

/** A business-time duration as people read it: 14分, 2時間10分 (never days: these are open hours). */
export function shownMinutes(minutes: number, ctx: BlockContext): string {
  const whole = Math.round(minutes);
  if (whole < 60) return ctx.t.leads.minutes(whole);
  return ctx.t.leads.hours(Math.floor(whole / 60), whole % 60);
}

const percent = (part: number, whole: number) => Math.round((part / whole) * 100);

function responseLines(times: ResponseTimes, ctx: BlockContext): string {
  const s = ctx.t.stats;
  if (times.opened === 0) return s.noData;
  const summary =
    times.medianMinutes === null || times.p90Minutes === null
      ? s.speedNoneAnswered(times.opened)
      : s.speedLine(
          times.opened,
          shownMinutes(times.medianMinutes, ctx),
          shownMinutes(times.p90Minutes, ctx),
        );
  const buckets = RESPONSE_BUCKET_KEYS.map((key) => s.count(s.buckets[key], times.buckets[key])).join(
    ctx.t.leads.separator,
  );
  return `${summary}\n${buckets}`;
}

/**
 * The answer to `/tsuikyaku stats` and the weekly report: one section per part, each saying
 * データがありません when it has nothing, never NaN or 0/0.
 */
export function statsMessage(
  report: StatsReport,
  ctx: BlockContext,
  opts: { title?: string; chartsNote?: string | null } = {},
): { text: string; blocks: Block[] } {
  const { t } = ctx;
  const s = t.stats;
  const sep = t.leads.separator;
  const period = shownPeriod(report.period, ctx);
  const title = opts.title ?? (report.repId ? s.titleFor(`<@${report.repId}>`, period) : s.title(period));
  const bold = (text: string) => `*${text}*`;
  const sections: string[] = [bold(title)];
  if (report.empty) sections.push(s.noDataPeriod);

  const { speed, activity, pipeline } = report;
  sections.push(
    [
      bold(s.speedHeading),
      s.speedNote,
      `${s.inHours}: ${responseLines(speed.inHours, ctx)}`,
      `${s.outOfHours}: ${responseLines(speed.outOfHours, ctx)}`,
    ].join('\n'),
  );

  const activityLines = [bold(s.activityHeading)];
  if (activity.touches === 0 && activity.leadReplies === 0) activityLines.push(s.noData);
  else {
    const perLead = activity.leadsTouched === 0 ? '0' : (activity.touches / activity.leadsTouched).toFixed(1);
    activityLines.push(
      `${s.activityLine(activity.touches, activity.leadsTouched, perLead)}${sep}${s.leadReplies(activity.leadReplies)}`,
    );
    const byChannel = new Map<string, string[]>();
    for (const row of activity.byChannelOutcome) {
      const list = byChannel.get(row.channel) ?? [];
      list.push(s.outcomeCount(t.followUp.outcomes[row.outcome], row.touches));
      byChannel.set(row.channel, list);
    }
    for (const [channel, outcomes] of byChannel) {
      activityLines.push(
        s.channelOutcomes(
          t.followUp.channels[channel as keyof typeof t.followUp.channels],
          outcomes.join(sep),
        ),
      );
    }
  }
  activityLines.push(
    activity.givenUp === 0
      ? s.fourTouchNone
      : s.fourTouch(
          activity.givenUp,
          activity.givenUpAfterFour,
          percent(activity.givenUpAfterFour, activity.givenUp),
        ),
  );
  sections.push(activityLines.join('\n'));

  const bySegment = SEGMENT_ORDER.map((segment) => ({
    segment,
    leads: pipeline.bySegmentBand.filter((c) => c.segment === segment).reduce((sum, c) => sum + c.leads, 0),
  })).filter((row) => row.leads > 0);
  const bands = [
    ...report.bands.map((b) => ({ key: b.key as string | null, label: b.label })),
    { key: null, label: s.bandUnknown },
  ];
  const byBand = bands
    .map((band) => ({
      label: band.label,
      leads: pipeline.bySegmentBand.filter((c) => c.band === band.key).reduce((sum, c) => sum + c.leads, 0),
    }))
    .filter((row) => row.leads > 0);
  const pipelineLines = [bold(s.pipelineHeading)];
  pipelineLines.push(
    `${s.nowBySegment}: ${bySegment.length === 0 ? s.noData : bySegment.map((r) => s.count(t.followUp.segments[r.segment], r.leads)).join(sep)}`,
  );
  if (byBand.length > 0)
    pipelineLines.push(`${s.nowByBand}: ${byBand.map((r) => s.count(r.label, r.leads)).join(sep)}`);
  const oldest = pipeline.oldestNeglected.map((lead) => {
    const days = Math.max(0, Math.floor((report.now.getTime() - lead.since.getTime()) / 86_400_000));
    return s.neglectedLead(
      escapeSlackText(lead.name?.trim() || t.leadFallbackName),
      lead.ownerId ? `<@${lead.ownerId}>` : s.unowned,
      t.leads.days(days),
    );
  });
  pipelineLines.push(
    oldest.length === 0
      ? s.neglected(pipeline.neglected)
      : `${s.neglected(pipeline.neglected)}: ${oldest.join(sep)}`,
  );
  pipelineLines.push(s.moves(pipeline.movedNearer, pipeline.movedFurther));
  pipelineLines.push(s.flow(pipeline.newLeads, pipeline.won, pipeline.lost));
  if (pipeline.conversion.length > 0) {
    pipelineLines.push(
      `${s.conversionHeading}: ${pipeline.conversion.map((c) => s.conversion(t.followUp.segments[c.segment], c.won, c.leads)).join(sep)}`,
    );
  }
  sections.push(pipelineLines.join('\n'));

  const stepLines = [bold(s.stepsHeading)];
  if (report.steps.length === 0) stepLines.push(s.noData);
  for (const step of report.steps) {
    stepLines.push(
      s.stepLine(
        `\`${escapeSlackText(step.sequenceId)}\``,
        step.stepIndex + 1,
        step.sent,
        step.repliedWithin72h,
        step.optedOutWithin72h,
        step.blockedWithin72h,
      ),
    );
  }
  sections.push(stepLines.join('\n'));

  const quota = report.quota;
  sections.push(
    [
      bold(s.quotaHeading),
      quota === null
        ? s.quotaUnknown
        : s.quotaLine(
            quota.used,
            quota.limit === null ? s.quotaUnlimited : s.quotaLimit(quota.limit),
            quota.forecast,
          ),
    ].join('\n'),
  );

  if (report.reps !== null) {
    const repLines = [bold(s.repsHeading)];
    if (report.reps.length === 0) repLines.push(s.noData);
    for (const rep of report.reps) {
      repLines.push(
        s.repLine(
          `<@${rep.repId}>`,
          rep.leadsOwned,
          rep.medianMinutes === null ? s.noMedian : shownMinutes(rep.medianMinutes, ctx),
          rep.touches,
          rep.neglected,
          rep.won,
        ),
      );
    }
    sections.push(repLines.join('\n'));
  }
  if (opts.chartsNote) sections.push(opts.chartsNote);

  // A section holds at most 3,000 characters; a long per-rep list is split across sections.
  const blocks: Block[] = [];
  for (const section of sections) {
    let rest = section;
    while (rest.length > 2900) {
      const cut = rest.lastIndexOf('\n', 2900);
      const at = cut > 0 ? cut : 2900;
      blocks.push(mrkdwnSection(rest.slice(0, at)));
      rest = rest.slice(at).replace(/^\n/, '');
    }
    blocks.push(mrkdwnSection(rest));
  }
  return { text: title, blocks: blocks.slice(0, 50) };
}

import type { Repos, Store } from '../src/ports.ts';
import { type Db, withConnectionRetry } from './client.ts';
import { cronRunRepository } from './repositories/cron-run-repository.ts';
import { deadLetterRepository } from './repositories/dead-letter-repository.ts';
import { erasureRepository } from './repositories/erasure-repository.ts';
import { escalationAlarmRepository } from './repositories/escalation-alarm-repository.ts';
import {
  lineEventRepository,
  slackEventRepository,
  threadRepository,
} from './repositories/event-repositories.ts';
import type { Executor } from './repositories/executor.ts';
import { exportRepository } from './repositories/export-repository.ts';
import { inboundRepository } from './repositories/inbound-repository.ts';
import { leadHistoryRepository } from './repositories/lead-history-repository.ts';
import { leadListRepository } from './repositories/lead-list-repository.ts';
import { leadRepository } from './repositories/lead-repository.ts';
import { messageRepository } from './repositories/message-repository.ts';
import { outboxRepository } from './repositories/outbox-repository.ts';
import {
  enrolmentRepository,
  quotaRepository,
  stepSendRepository,
  tagRepository,
} from './repositories/sequence-repositories.ts';
import { staffRepository } from './repositories/staff-repository.ts';
import { touchRepository } from './repositories/touch-repository.ts';

export function reposFor(db: Executor): Repos {
  return {
    lineEvents: lineEventRepository(db),
    inbound: inboundRepository(db),
    slackEvents: slackEventRepository(db),
    deadLetters: deadLetterRepository(db),
    leads: leadRepository(db),
    leadList: leadListRepository(db),
    history: leadHistoryRepository(db),
    erasure: erasureRepository(db),
    staff: staffRepository(db),
    messages: messageRepository(db),
    threads: threadRepository(db),
    outbox: outboxRepository(db),
    touches: touchRepository(db),
    alarms: escalationAlarmRepository(db),
    cronRuns: cronRunRepository(db),
    enrolments: enrolmentRepository(db),
    stepSends: stepSendRepository(db),
    tags: tagRepository(db),
    quota: quotaRepository(db),
    exports: exportRepository(db),
  };
}

export function createStore(db: Db): Store {
  return {
    ...reposFor(db),
    // A transaction whose connection died before COMMIT was rolled back by the server: run it again.
    transaction: (fn) => withConnectionRetry(() => db.transaction((tx) => fn(reposFor(tx)))),
  };
}

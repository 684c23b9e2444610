import { sendDueNotices, type SendSummary } from '../services/notices/send-notices';
import type { JobDefinition } from './registry';

// Job `notices`: sends the outbox (services/notices/send-notices.ts). Queuing an email wakes the
// scheduler at once (LISTEN/NOTIFY, see cli/server.ts); this interval is the fallback, and what
// sends retries when their wait is over.

// Runs within one process take turns (the scheduled run, a wake-up, an administrator's run): then
// a process has at most one message in flight, so a crash costs at most that one message again.
// A run that arrives during another runs after it, so a notice queued meanwhile is not missed.
const turns = new WeakMap<object, Promise<unknown>>();

function inTurn(key: object, work: () => Promise<SendSummary>): Promise<SendSummary> {
  const next = (turns.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
  turns.set(key, next);
  return next;
}

export const noticesJob: JobDefinition = {
  name: 'notices',
  everyMinutes: 1,
  async run(ctx) {
    return { ...(await inTurn(ctx.db, () => sendDueNotices(ctx.db, ctx.clock, ctx.delivery))) };
  },
};

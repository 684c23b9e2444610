import { queueDueNotices } from '../services/notices/due-notices';
import type { JobDefinition } from './registry';

// Job `due-notices`: queues courtesy, overdue and shelf-expiry reminder notices as their day comes
// (services/notices/due-notices.ts); the `notices` job sends them. Each goes once, however often
// this runs.
export const dueNoticesJob: JobDefinition = {
  name: 'due-notices',
  everyMinutes: 60,
  async run(ctx) {
    return { ...(await queueDueNotices(ctx.db, ctx.clock.now())) };
  },
};

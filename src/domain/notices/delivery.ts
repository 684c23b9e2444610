// How the outbox delivers a notice (DESIGN §4 "Notices"): at least once, with a Message-ID that
// is the same on every try, so a message resent after a crash between sending and marking is one
// message to the patron's mail system.

/** Tries before a notice is given up as failed: the last one comes about two hours after the first. */
export const maxAttempts = 8;

/** A claim lasts this long: longer than the SMTP timeouts of one message, so a slow send is not taken over. */
export const claimLeaseMs = 2 * 60_000;

const firstRetryMs = 60_000;
const longestWaitMs = 6 * 3_600_000;

/** `<notice-123@cons.tamarack>`: the notice's own id, in the consortium's own name space. */
export function noticeMessageId(noticeId: string | number, consortiumCode: string): string {
  const domain = consortiumCode.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'consortium';
  return `<notice-${noticeId}@${domain}.tamarack>`;
}

export type AfterFailure = { state: 'failed' } | { state: 'pending'; sendAfter: Date };

/**
 * What follows a failed try, `attempts` counting it: another try after a wait that doubles each
 * time (1, 2, 4 … minutes, at most 6 hours), or giving up after the last try.
 */
export function afterFailure(attempts: number, now: Date): AfterFailure {
  if (attempts >= maxAttempts) return { state: 'failed' };
  const wait = Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), longestWaitMs);
  return { state: 'pending', sendAfter: new Date(now.getTime() + wait) };
}

// Sizes of the load and crash tests, from the environment: quick by default, full size in CI
// (.ci/run: 60 s, 32 clients, 10 kills).
const positive = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export const loadSeconds = positive('TAMARACK_LOAD_SECONDS', 5);
export const loadClients = Math.round(positive('TAMARACK_LOAD_CLIENTS', 32));
export const crashKills = Math.round(positive('TAMARACK_CRASH_KILLS', 2));
/** How often the servers' schedulers look for due jobs, so a due job runs soon after a restart. */
export const jobPollMs = '500';
/** The consortium the desks work on: few titles and patrons, so that they contend. */
export const loadConsortiumSize = { records: 8, patrons: 24 };
/** Long enough for the load, its restarts and the checks; the full size stays under ~12 minutes. */
export const loadTimeoutMs = (loadSeconds + crashKills * 15 + 120) * 1000;

import type { StaffActor } from '../domain/actor';

// The staff member behind a session cookie, kept in this process between the session's touches:
// a desk's scans then go to the database once, not twice. An entry lives at most as long as the
// session needs no touch (services/sessions.ts), so idle expiry and the touch work as before.
// Whatever ends a session or changes a staff account or a library — in this process or another —
// empties the cache: the database says so after commit (migration 013, LISTEN tamarack_sessions),
// and this process's own routes that do it say so before they answer. While the process is not
// listening, nothing is served from the cache.

export class SessionCache {
  private readonly entries = new Map<string, { actor: StaffActor; lastSeenAt: number }>();
  private generation = 0;

  constructor(
    /** True while changes announced by the database reach this process. */
    private readonly listening: () => boolean,
    private readonly freshForMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  actorOf(tokenHash: string, now: number): StaffActor | undefined {
    if (!this.listening()) {
      this.clear();
      return undefined;
    }
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (now - entry.lastSeenAt > this.freshForMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.actor;
  }

  /** Taken before reading a session, so that a change announced meanwhile is not undone. */
  mark(): number {
    return this.generation;
  }

  remember(mark: number, tokenHash: string, actor: StaffActor, lastSeenAt: number): void {
    if (mark !== this.generation || !this.listening()) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(tokenHash, { actor, lastSeenAt });
  }

  /** Sessions remembered now. */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

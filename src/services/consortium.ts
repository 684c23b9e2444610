import type { Kysely } from 'kysely';
import { requireStaff } from '../domain/actor';
import { ok, type Result } from '../domain/refusal';
import { recordEvent } from '../db/events';
import type { Database } from '../db/schema';
import { actorEventFields, type ServiceContext } from './context';
import { hashPassword } from './passwords';

export interface ConsortiumSettings {
  code: string;
  name: string;
  targetingPolicy: 'random' | 'balanced';
  retargetAfterHours: number;
  maxOpenHoldsPerPatron: number;
  bounceTransits: number;
  bounceDays: number;
  /** How many days before a loan's due date the courtesy notice goes out. */
  courtesyNoticeDays: number;
}

export type ConsortiumPatch = Partial<Omit<ConsortiumSettings, 'code'>>;

export async function consortiumRef(db: Kysely<Database>): Promise<{ code: string; name: string }> {
  return db.selectFrom('consortium').select(['code', 'name']).executeTakeFirstOrThrow();
}

export async function loadConsortium(db: Kysely<Database>): Promise<ConsortiumSettings> {
  const c = await db.selectFrom('consortium').selectAll().executeTakeFirstOrThrow();
  return {
    code: c.code,
    name: c.name,
    targetingPolicy: c.targeting_policy,
    retargetAfterHours: c.retarget_after_hours,
    maxOpenHoldsPerPatron: c.max_open_holds_per_patron,
    bounceTransits: c.bounce_transits,
    bounceDays: c.bounce_days,
    courtesyNoticeDays: c.courtesy_notice_days,
  };
}

export async function getConsortium(ctx: ServiceContext): Promise<Result<ConsortiumSettings>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  return ok(await loadConsortium(ctx.db));
}

export async function updateConsortium(ctx: ServiceContext, patch: ConsortiumPatch): Promise<Result<ConsortiumSettings>> {
  const admin = requireStaff(ctx.actor, 'consortium-admin');
  if (!admin.ok) return admin;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('consortium')
      .set({
        name: patch.name,
        targeting_policy: patch.targetingPolicy,
        retarget_after_hours: patch.retargetAfterHours,
        max_open_holds_per_patron: patch.maxOpenHoldsPerPatron,
        bounce_transits: patch.bounceTransits,
        bounce_days: patch.bounceDays,
        courtesy_notice_days: patch.courtesyNoticeDays,
        updated_at: ctx.clock.now(),
      })
      .execute();
    await recordEvent(trx, { at: ctx.clock.now(), kind: 'consortium-updated', ...actorEventFields(ctx.actor), data: { ...patch } });
  });
  return ok(await loadConsortium(ctx.db));
}

/**
 * A fresh database holds only the consortium and its first administrator (API.md "Running").
 * Does nothing to a database that already has them.
 */
export async function ensureConsortium(
  db: Kysely<Database>,
  first: { name: string; adminUser: string; adminPassword: string },
  now: Date,
): Promise<{ createdAdmin: boolean }> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('consortium').values({ name: first.name }).onConflict((oc) => oc.column('id').doNothing()).execute();
    const anyAdmin = await trx.selectFrom('staff').select('id').where('role', '=', 'consortium-admin').executeTakeFirst();
    if (anyAdmin) return { createdAdmin: false };
    const admin = await trx
      .insertInto('staff')
      .values({ username: first.adminUser, password_hash: await hashPassword(first.adminPassword), library_id: null, role: 'consortium-admin' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { at: now, kind: 'staff-created', staff_id: admin.id, data: { username: first.adminUser, role: 'consortium-admin', first: true } });
    return { createdAdmin: true };
  });
}


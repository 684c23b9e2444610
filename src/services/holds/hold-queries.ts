import { requireSignedIn, type Actor } from '../../domain/actor';
import type { HoldStatus } from '../../domain/holds/hold-status';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import type { Db, ServiceContext } from '../context';
import { findLibraryByCode } from '../library-view';
import { findPatronByBarcode } from '../patrons';
import { loadHoldViews, type HoldView } from './hold-view';

export interface HoldSearch {
  patron?: string;
  library?: string;
  status?: HoldStatus;
  limit: number;
  offset: number;
}

/** Staff see any hold; a patron sees only their own. */
function mayRead(actor: Actor, patronId: number): Result<null> {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.ok) return signedIn;
  if (actor.kind === 'patron' && actor.patronId !== patronId) return refuse('FORBIDDEN', 'A patron sees only their own holds.');
  return ok(null);
}

export async function findHold(db: Db, id: number) {
  return db.selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getHold(ctx: ServiceContext, id: number): Promise<Result<HoldView>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const hold = await findHold(ctx.db, id);
  if (!hold) return notFound(`Hold ${id}`);
  const readable = mayRead(ctx.actor, hold.patron_id);
  if (!readable.ok) return readable;
  const [view] = await loadHoldViews(ctx.db, [id]);
  return ok(view);
}

export async function listHolds(ctx: ServiceContext, search: HoldSearch): Promise<Result<HoldView[]>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const actor = signedIn.value;
  let patronId: number | undefined;
  if (search.patron !== undefined) {
    const patron = await findPatronByBarcode(ctx.db, search.patron);
    if (actor.kind === 'patron' && patron?.id !== actor.patronId) return refuse('FORBIDDEN', 'A patron sees only their own holds.');
    if (!patron) return notFound(`Patron ${search.patron}`);
    patronId = patron.id;
  } else if (actor.kind === 'patron') {
    patronId = actor.patronId;
  }
  let libraryId: number | undefined;
  if (search.library !== undefined) {
    const library = await findLibraryByCode(ctx.db, search.library);
    if (!library) return notFound(`Library ${search.library}`);
    libraryId = library.id;
  }
  let query = ctx.db.selectFrom('holds').select('holds.id').orderBy('holds.requested_at').orderBy('holds.id').limit(search.limit).offset(search.offset);
  if (patronId !== undefined) query = query.where('holds.patron_id', '=', patronId);
  if (search.status !== undefined) query = query.where('holds.status', '=', search.status);
  if (libraryId !== undefined) {
    const id = libraryId;
    // a library's holds: those picked up there, and those its items are targeted or captured for
    query = query.where((eb) =>
      eb.or([
        eb('holds.pickup_library_id', '=', id),
        eb.exists(
          eb
            .selectFrom('items')
            .select('items.id')
            .where('items.owning_library_id', '=', id)
            .where((inner) => inner.or([inner('items.id', '=', inner.ref('holds.target_item_id')), inner('items.id', '=', inner.ref('holds.captured_item_id'))])),
        ),
      ]),
    );
  }
  const ids = (await query.execute()).map((r) => r.id);
  return ok(await loadHoldViews(ctx.db, ids));
}

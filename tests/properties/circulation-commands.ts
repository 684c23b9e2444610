import fc from 'fast-check';
import type { Caller } from '../support/test-app';
import type { Action, Answer, Command } from './circulation-reference-model';

// The random desk work of the circulation model test, and how each action goes through the real
// HTTP API: the desk's routes as staff of the library where it happens, the consortium office's
// (renew, cancel, suspend, cancel transit, the clock and the scheduled jobs) as its administrator.

const index = () => fc.nat({ max: 63 });
const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

export const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  weighted(5, fc.record({ op: fc.constant('place' as const), patron: index(), pickup: index() })),
  weighted(8, fc.record({ op: fc.constant('scan' as const), item: index(), at: index(), twice: fc.boolean() })),
  weighted(3, fc.record({ op: fc.constant('checkout' as const), item: index(), patron: index(), at: index(), override: fc.boolean() })),
  weighted(1, fc.record({ op: fc.constant('renew' as const), item: index() })),
  weighted(2, fc.record({ op: fc.constant('cancel' as const), hold: index() })),
  weighted(1, fc.record({ op: fc.constant('redirect' as const), hold: index() })),
  weighted(1, fc.record({ op: fc.constant('not-on-shelf' as const), hold: index() })),
  weighted(2, fc.record({ op: fc.constant('suspend' as const), hold: index(), days: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })) })),
  weighted(1, fc.record({ op: fc.constant('cancel-transit' as const), item: index() })),
  weighted(1, fc.record({ op: fc.constant('clear-shelf' as const), at: index() })),
  weighted(1, fc.record({ op: fc.constant('add-item' as const), at: index() })),
  weighted(1, fc.record({ op: fc.constant('jump' as const), days: fc.integer({ min: 1, max: 40 }), hours: fc.integer({ min: 0, max: 23 }) })),
);

/** The jobs a server runs on its schedule that change circulation; a clock jump runs each once. */
export const scheduledJobs = ['targeting', 'shelf-expiry', 'due-notices'] as const;

export interface Desk {
  admin: Caller;
  /** Circulation staff of a library. */
  circ(code: string): Promise<Caller>;
  /** Cataloger of a library. */
  cataloger(code: string): Promise<Caller>;
  recordId: number;
}

const answer = (res: { status: number; body: any }): Answer => ({ status: res.status, body: res.body });

export async function perform(desk: Desk, a: Action): Promise<Answer> {
  const { admin } = desk;
  switch (a.op) {
    case 'none':
      return { status: 0, body: null };
    case 'place':
      return answer(await (await desk.circ(a.pickup)).post('/holds', { patronBarcode: a.patron, type: 'title', recordId: desk.recordId, pickupLibraryCode: a.pickup }));
    case 'scan': {
      const staff = await desk.circ(a.at);
      const first = answer(await staff.post('/circulation/scan', { itemBarcode: a.barcode }));
      if (!a.twice) return first;
      return { ...first, again: answer(await staff.post('/circulation/scan', { itemBarcode: a.barcode })) };
    }
    case 'checkout': {
      const override = a.override ? { override: { reason: 'model test' } } : {};
      return answer(await (await desk.circ(a.at)).post('/circulation/checkout', { patronBarcode: a.patron, itemBarcode: a.barcode, ...override }));
    }
    case 'renew':
      return answer(await admin.post('/circulation/renew', { itemBarcode: a.barcode }));
    case 'cancel':
      return answer(await admin.post(`/holds/${a.hold}/cancel`, { reason: 'staff' }));
    case 'redirect':
    case 'not-on-shelf': {
      const staff = a.by === null ? admin : await desk.circ(a.by);
      return answer(await staff.post(`/holds/${a.hold}/${a.op}`, a.op === 'redirect' ? {} : undefined));
    }
    case 'suspend':
      return answer(await admin.patch(`/holds/${a.hold}`, { suspendedUntil: a.until }));
    case 'cancel-transit':
      return answer(await admin.post(`/items/${a.barcode}/cancel-transit`, {}));
    case 'clear-shelf':
      return answer(await (await desk.circ(a.at)).post(`/libraries/${a.at}/holds-shelf/clear`));
    case 'add-item': {
      const body = { recordId: desk.recordId, libraryCode: a.at, callNumber: 'F THO', barcode: a.barcode, catalogedAt: '2024-01-01' };
      return answer(await (await desk.cataloger(a.at)).post('/items', body));
    }
    case 'jump': {
      const moved = await admin.post('/admin/clock', { now: a.to.toISOString() });
      if (moved.status !== 200) return answer(moved);
      for (const job of scheduledJobs) {
        const ran = await admin.post(`/admin/jobs/${job}/run`);
        if (ran.status !== 200) return answer(ran);
      }
      return answer(moved);
    }
  }
}

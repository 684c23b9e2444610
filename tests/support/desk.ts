import { expect } from 'vitest';
import type { ConsortiumFixture } from './fixture';
import type { ApiResponse } from './test-app';

// The desk work most circulation tests start from, through the API as each library's staff.
export interface Desk {
  /** A record with one copy per library (code → barcode), added by each library's cataloger. */
  title(name: string, copies: Record<string, string>): Promise<number>;
  /** A title hold placed by the pickup library's circulation staff; expects 201. */
  holdFor(patronBarcode: string, recordId: number, pickup: string): Promise<Record<string, any>>;
  /** POST /circulation/scan at a library; expects 200. */
  scan(code: string, itemBarcode: string): Promise<ApiResponse>;
  /** POST /admin/clock. */
  setClock(now: string): Promise<void>;
}

export function desk(f: ConsortiumFixture, callNumberOf: (barcode: string) => string = () => 'F THO'): Desk {
  return {
    async title(name, copies) {
      const recordId = (await f.admin.post('/records', { title: name, author: 'Thoreau, Henry David' })).body.id;
      for (const [code, barcode] of Object.entries(copies)) {
        const res = await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: callNumberOf(barcode), barcode, catalogedAt: '2024-01-01' });
        expect(res.status, res.text).toBe(201);
      }
      return recordId;
    },
    async holdFor(patronBarcode, recordId, pickup) {
      const res = await (await f.staff(pickup, 'circ')).post('/holds', { patronBarcode, type: 'title', recordId, pickupLibraryCode: pickup });
      expect(res.status, res.text).toBe(201);
      return res.body;
    },
    async scan(code, itemBarcode) {
      const res = await (await f.staff(code, 'circ')).post('/circulation/scan', { itemBarcode });
      expect(res.status, res.text).toBe(200);
      return res;
    },
    async setClock(now) {
      expect((await f.admin.post('/admin/clock', { now })).status).toBe(200);
    },
  };
}

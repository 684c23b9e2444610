import type { StaffActor } from '../../domain/actor';
import { invalid, notFound, ok, refuse, type Result } from '../../domain/refusal';
import type { Db } from '../context';
import { findLibraryByCode } from '../library-view';

// The library whose desk a staff member works at: their working library, or for a consortium
// administrator any library they name. Desk work (scan, check out) always happens somewhere,
// because due dates and routing follow that library.

type FindLibrary = (code: string) => { id: number; kind: 'library' | 'system' } | undefined;

/** The rule, over any way of finding a library by code (a query, or facts already in memory). */
export function deskAmong(staff: StaffActor, libraryCode: string | undefined, find: FindLibrary): Result<number> {
  if (libraryCode === undefined) {
    if (staff.libraryId === null) return refuse('FORBIDDEN', 'Desk work happens at a library: say which one (libraryCode).');
    return ok(staff.libraryId);
  }
  const library = find(libraryCode);
  if (!library) return notFound(`Library ${libraryCode}`);
  if (library.id !== staff.libraryId && staff.role !== 'consortium-admin') {
    return refuse('NOT_OWN_LIBRARY', `You work at the desk of your own library, ${staff.libraryCode}.`);
  }
  if (library.kind === 'system') return invalid('libraryCode', `${libraryCode} is a system of libraries; choose one of its libraries.`);
  return ok(library.id);
}

export async function deskLibrary(db: Db, staff: StaffActor, libraryCode: string | undefined): Promise<Result<number>> {
  const library = libraryCode === undefined ? undefined : await findLibraryByCode(db, libraryCode);
  return deskAmong(staff, libraryCode, () => library);
}

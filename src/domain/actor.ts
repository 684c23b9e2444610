import { refuse, ok, type Result } from './refusal';
import { hasRole, roleLabel, type StaffRole } from './roles';

// Who is asking: the signed-in staff member or patron, or nobody.
export interface StaffActor {
  kind: 'staff';
  staffId: number;
  username: string;
  role: StaffRole;
  /** null for a consortium administrator who works for the consortium office */
  libraryId: number | null;
  libraryCode: string;
}

export interface PatronActor {
  kind: 'patron';
  patronId: number;
  barcode: string;
  homeLibraryId: number;
}

export type Actor = StaffActor | PatronActor | { kind: 'anonymous' };

export const anonymous: Actor = { kind: 'anonymous' };

export function requireSignedIn(actor: Actor): Result<StaffActor | PatronActor> {
  if (actor.kind === 'anonymous') return refuse('UNAUTHENTICATED', 'Please sign in first.');
  return ok(actor);
}

export function requireStaff(actor: Actor, atLeast: StaffRole = 'circulation'): Result<StaffActor> {
  switch (actor.kind) {
    case 'anonymous':
      return refuse('UNAUTHENTICATED', 'Please sign in first.');
    case 'patron':
      return refuse('FORBIDDEN', 'Only library staff may do this.');
    case 'staff':
      if (!hasRole(actor.role, atLeast)) {
        return refuse('FORBIDDEN', `Only ${roleLabel(atLeast)} or above may do this.`);
      }
      return ok(actor);
  }
}

/** Staff act at their working library; a consortium administrator acts everywhere. */
export function requireOwnLibrary(actor: StaffActor, libraryId: number, libraryCode: string): Result<StaffActor> {
  if (actor.role === 'consortium-admin' || actor.libraryId === libraryId) return ok(actor);
  return refuse('NOT_OWN_LIBRARY', `You work at ${actor.libraryCode}; this belongs to library ${libraryCode}.`);
}

export function isConsortiumAdmin(actor: Actor): boolean {
  return actor.kind === 'staff' && actor.role === 'consortium-admin';
}

import { hash, verify } from '@node-rs/argon2';
import { invalid, ok, type Result } from '../domain/refusal';

// argon2id (the library's default algorithm) with its recommended cost.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A hash of a random string, so that a login for an unknown name takes as long as a real one.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash('not a password of anyone');
  return decoy;
}

export const minPasswordLength = 8;

/** Rules for a new password. The demo's well-known admin password is set without them. */
export function checkNewPassword(password: string, field = 'password'): Result<string> {
  if (password.length < minPasswordLength) {
    return invalid(field, `A password needs at least ${minPasswordLength} characters.`);
  }
  if (password.length > 200) return invalid(field, 'A password may have at most 200 characters.');
  return ok(password);
}

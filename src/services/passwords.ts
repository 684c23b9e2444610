import { hash, verify } from '@node-rs/argon2';
import { passwordProblem } from '../domain/accounts/password-rules';
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

/**
 * Rules for a new password (domain/accounts/password-rules.ts), the first administrator's of
 * `tamarack serve` included. Only the demo's well-known admin password is set without them.
 */
export function checkNewPassword(password: string, names: readonly (string | null | undefined)[], field = 'password'): Result<string> {
  const problem = passwordProblem(password, names);
  return problem === null ? ok(password) : invalid(field, problem);
}

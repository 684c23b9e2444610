import { describe, expect, it } from 'vitest';
import type { StaffActor } from '../domain/actor';
import { SessionCache } from './session-cache';

const desk: StaffActor = { kind: 'staff', staffId: 7, username: 'a-circ', role: 'circulation', libraryId: 3, libraryCode: 'A' };
const minute = 60_000;

describe('SessionCache', () => {
  it.each([
    ['remembered and fresh', true, 0, desk],
    ['remembered a minute ago to the millisecond', true, minute, desk],
    ['older than a minute: the session is read (and touched) again', true, minute + 1, undefined],
    ['while the process hears nothing from the database', false, 0, undefined],
  ])('%s', (_case, listening, age, expected) => {
    let hearing = true;
    const cache = new SessionCache(() => hearing, minute);
    cache.remember(cache.mark(), 'key', desk, 1_000);
    hearing = listening;
    expect(cache.actorOf('key', 1_000 + age)).toEqual(expected);
  });

  it('forgets everything when told a sign-in changed', () => {
    const cache = new SessionCache(() => true, minute);
    cache.remember(cache.mark(), 'key', desk, 0);
    cache.clear();
    expect(cache.actorOf('key', 0)).toBeUndefined();
  });

  it('does not remember what was read before a change it was told of meanwhile', () => {
    const cache = new SessionCache(() => true, minute);
    const mark = cache.mark();
    cache.clear();
    cache.remember(mark, 'key', desk, 0);
    expect(cache.actorOf('key', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays bounded: when full it starts over rather than grow', () => {
    const cache = new SessionCache(() => true, minute, 3);
    for (const key of ['a', 'b', 'c', 'd']) cache.remember(cache.mark(), key, desk, 0);
    expect(cache.size).toBeLessThanOrEqual(3);
    expect(cache.actorOf('d', 0)).toEqual(desk);
  });

  it('a session it never saw is not known', () => {
    expect(new SessionCache(() => true, minute).actorOf('other', 0)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { actingWindowMs, initialElection, isActingLeader, stepElection, type ElectionEvent, type ElectionState } from '../../src/cluster/election.ts';

const settings = { leaseMs: 3_000 };
const leader = (term: number, renewedAt: number, highestTerm: number = term): ElectionState => ({ role: 'leader', term, renewedAt, highestTerm });
const follower = (highestTerm: number, holdUntil: number = 0): ElectionState => ({ role: 'follower', highestTerm, holdUntil });

describe('election decisions', () => {
  it('a follower asks for the lease with the highest term it has seen as the floor', () => {
    expect(stepElection(initialElection(7), { type: 'tick', now: 100 }, settings)).toEqual({ state: follower(7), actions: [{ type: 'acquire', minTerm: 7 }] });
  });

  it('a follower holds back after a step-down until the hold passes', () => {
    expect(stepElection(follower(3, 500), { type: 'tick', now: 499 }, settings).actions).toEqual([]);
    expect(stepElection(follower(3, 500), { type: 'tick', now: 500 }, settings).actions).toEqual([{ type: 'acquire', minTerm: 3 }]);
  });

  it('acquiring makes a leader from the send time, persists the term and announces it', () => {
    expect(stepElection(follower(3), { type: 'acquired', term: 5, sentAt: 40 }, settings)).toEqual({
      state: leader(5, 40),
      actions: [
        { type: 'persist_term', term: 5 },
        { type: 'announce', event: 'leader_elected', term: 5, reason: 'acquired the lease' },
      ],
    });
  });

  it('a lease held by another raises the floor (persisted) and changes nothing else', () => {
    expect(stepElection(follower(3), { type: 'held_by_other', term: 9 }, settings)).toEqual({ state: follower(9), actions: [{ type: 'persist_term', term: 9 }] });
    expect(stepElection(follower(9), { type: 'held_by_other', term: 4 }, settings)).toEqual({ state: follower(9), actions: [] });
  });

  it('a leader that sees another holder loses at once', () => {
    const step = stepElection(leader(5, 0), { type: 'held_by_other', term: 6 }, settings);
    expect(step.state).toEqual(follower(6));
    expect(step.actions).toEqual([
      { type: 'announce', event: 'leader_lost', term: 5, reason: 'another node holds the lease' },
      { type: 'persist_term', term: 6 },
    ]);
  });

  it('a leader renews while inside 2/3 of the lease and lapses by the monotonic clock after', () => {
    const window = actingWindowMs(settings);
    expect(window).toBe(2_000);
    expect(stepElection(leader(5, 1_000), { type: 'tick', now: 1_000 + window - 1 }, settings).actions).toEqual([{ type: 'renew', term: 5 }]);
    const lapsed = stepElection(leader(5, 1_000), { type: 'tick', now: 1_000 + window }, settings);
    expect(lapsed.state).toEqual(follower(5));
    expect(lapsed.actions).toEqual([{ type: 'announce', event: 'leader_lost', term: 5, reason: 'not renewed within 2/3 of the lease' }]);
  });

  it('acts only inside the window', () => {
    expect(isActingLeader(leader(5, 1_000), settings, 2_999)).toBe(true);
    expect(isActingLeader(leader(5, 1_000), settings, 3_000)).toBe(false);
    expect(isActingLeader(follower(5), settings, 0)).toBe(false);
  });

  it('renewals move the window forward only with a newer send time', () => {
    expect(stepElection(leader(5, 1_000), { type: 'renewed', sentAt: 2_000 }, settings).state).toEqual(leader(5, 2_000));
    expect(stepElection(leader(5, 2_000), { type: 'renewed', sentAt: 1_500 }, settings).state).toEqual(leader(5, 2_000));
    expect(stepElection(follower(5), { type: 'renewed', sentAt: 9_000 }, settings).state).toEqual(follower(5));
  });

  it('a refused renewal ends leadership; a follower ignores it', () => {
    expect(stepElection(leader(5, 0), { type: 'renew_refused', now: 10 }, settings)).toEqual({
      state: follower(5),
      actions: [{ type: 'announce', event: 'leader_lost', term: 5, reason: 'the lease was taken or expired' }],
    });
    expect(stepElection(follower(5), { type: 'renew_refused', now: 10 }, settings)).toEqual({ state: follower(5), actions: [] });
  });

  it('step-down releases the lease by compare-and-delete and holds off re-election for one lease', () => {
    expect(stepElection(leader(5, 0), { type: 'step_down', now: 100 }, settings)).toEqual({
      state: follower(5, 3_100),
      actions: [
        { type: 'release', term: 5 },
        { type: 'announce', event: 'leader_lost', term: 5, reason: 'stepped down' },
      ],
    });
    expect(stepElection(follower(5), { type: 'step_down', now: 100 }, settings)).toEqual({ state: follower(5, 3_100), actions: [] });
  });

  it('every event is handled in every role without throwing, and terms never go back', () => {
    const events: ElectionEvent[] = [
      { type: 'tick', now: 0 },
      { type: 'tick', now: 10_000 },
      { type: 'acquired', term: 2, sentAt: 0 },
      { type: 'held_by_other', term: 1 },
      { type: 'held_by_other', term: 50 },
      { type: 'renewed', sentAt: 5 },
      { type: 'renew_refused', now: 5 },
      { type: 'step_down', now: 5 },
    ];
    for (const state of [follower(10), follower(10, 99_999), leader(10, 0), leader(10, 9_000)]) {
      for (const event of events) {
        const step = stepElection(state, event, settings);
        expect(step.state.highestTerm).toBeGreaterThanOrEqual(state.highestTerm);
      }
    }
  });
});

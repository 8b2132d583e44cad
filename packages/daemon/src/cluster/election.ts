/**
 * The election's decisions, apart from Redis: a pure function of (state, event) ->
 * (new state, actions). The loop in election-loop.ts performs the actions through Lua
 * scripts and feeds their outcomes back as events. All times are monotonic milliseconds.
 */
export interface ElectionSettings {
  readonly leaseMs: number;
}

export type ElectionState =
  | { readonly role: 'follower'; readonly highestTerm: number; readonly holdUntil: number }
  | { readonly role: 'leader'; readonly highestTerm: number; readonly term: number; readonly renewedAt: number };

export type ElectionEvent =
  | { readonly type: 'tick'; readonly now: number }
  /** The acquire script gave us the lease; `sentAt` is when the script was sent (the lease may have started then). */
  | { readonly type: 'acquired'; readonly term: number; readonly sentAt: number }
  | { readonly type: 'held_by_other'; readonly term: number }
  | { readonly type: 'renewed'; readonly sentAt: number }
  | { readonly type: 'renew_refused'; readonly now: number }
  | { readonly type: 'step_down'; readonly now: number };

export type ElectionAction =
  | { readonly type: 'acquire'; readonly minTerm: number }
  | { readonly type: 'renew'; readonly term: number }
  | { readonly type: 'release'; readonly term: number }
  | { readonly type: 'persist_term'; readonly term: number }
  | { readonly type: 'announce'; readonly event: 'leader_elected' | 'leader_lost'; readonly term: number; readonly reason: string };

export interface ElectionStep {
  readonly state: ElectionState;
  readonly actions: readonly ElectionAction[];
}

export function initialElection(highestTerm: number): ElectionState {
  return { role: 'follower', highestTerm, holdUntil: 0 };
}

/** A leader acts only while its last renewal is younger than 2/3 of the lease: the rest is margin for clock drift and delays. */
export function actingWindowMs(settings: ElectionSettings): number {
  return Math.floor((settings.leaseMs * 2) / 3);
}

/** True when this node may perform leader-only work at `now`. */
export function isActingLeader(state: ElectionState, settings: ElectionSettings, now: number): boolean {
  return state.role === 'leader' && now - state.renewedAt < actingWindowMs(settings);
}

export function stepElection(state: ElectionState, event: ElectionEvent, settings: ElectionSettings): ElectionStep {
  switch (event.type) {
    case 'tick':
      return onTick(state, event.now, settings);
    case 'acquired':
      return onAcquired(state, event.term, event.sentAt);
    case 'held_by_other':
      return raiseTerm(state.role === 'leader' ? lose(state, 'another node holds the lease', 0) : { state, actions: [] }, event.term);
    case 'renewed':
      if (state.role !== 'leader' || event.sentAt <= state.renewedAt) return { state, actions: [] };
      return { state: { ...state, renewedAt: event.sentAt }, actions: [] };
    case 'renew_refused':
      return state.role === 'leader' ? lose(state, 'the lease was taken or expired', 0) : { state, actions: [] };
    case 'step_down':
      if (state.role !== 'leader') return { state: { ...state, holdUntil: event.now + settings.leaseMs }, actions: [] };
      {
        const lost = lose(state, 'stepped down', event.now + settings.leaseMs);
        return { state: lost.state, actions: [{ type: 'release', term: state.term }, ...lost.actions] };
      }
  }
}

function onTick(state: ElectionState, now: number, settings: ElectionSettings): ElectionStep {
  if (state.role === 'follower') {
    if (now < state.holdUntil) return { state, actions: [] };
    return { state, actions: [{ type: 'acquire', minTerm: state.highestTerm }] };
  }
  if (!isActingLeader(state, settings, now)) return lose(state, 'not renewed within 2/3 of the lease', 0);
  return { state, actions: [{ type: 'renew', term: state.term }] };
}

function onAcquired(state: ElectionState, term: number, sentAt: number): ElectionStep {
  const highestTerm = Math.max(state.highestTerm, term);
  return {
    state: { role: 'leader', highestTerm, term, renewedAt: sentAt },
    actions: [
      { type: 'persist_term', term: highestTerm },
      { type: 'announce', event: 'leader_elected', term, reason: 'acquired the lease' },
    ],
  };
}

function lose(state: Extract<ElectionState, { role: 'leader' }>, reason: string, holdUntil: number): ElectionStep {
  return {
    state: { role: 'follower', highestTerm: state.highestTerm, holdUntil },
    actions: [{ type: 'announce', event: 'leader_lost', term: state.term, reason }],
  };
}

function raiseTerm(step: ElectionStep, term: number): ElectionStep {
  if (term <= step.state.highestTerm) return step;
  return { state: { ...step.state, highestTerm: term }, actions: [...step.actions, { type: 'persist_term', term }] };
}

export { isInsideWindow } from './is-inside-window.ts';
export { nextBoundary } from './next-boundary.ts';
export { resolveWallTime } from './resolve-wall-time.ts';
export { readWallClock, zoneOffsetAt } from './zoned-clock.ts';

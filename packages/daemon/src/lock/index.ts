// What the CLI needs to start owld without polling: who holds the lock, and the ready fd.
export { readLockHolder, isHolderAlive, type LockHolder } from './pid-lock.ts';
export { READY_FD_ENV, type PlaneInfo, type ReadyMessage, type StartFailure } from '../readiness/ready-signal.ts';

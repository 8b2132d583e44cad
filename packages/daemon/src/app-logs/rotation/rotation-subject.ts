import type { WrittenFile } from '../../pause/writer-pause-plan.ts';

/**
 * The tailer's side of a rotation: what it has consumed and how it consumes more. In its own
 * file because both the rotation (rotate-live-log.ts) and its paused part (commit-rotation.ts)
 * read it, and neither should import the other for a type.
 */
export interface RotationSubject extends WrittenFile {
  /** The inode the tailer reads; a file replaced behind its back is not rotated. */
  readonly ino: number;
  readonly keep: number;
  /** Bytes of the live file consumed so far (the read position). */
  readonly offset: number;
  /** The unfinished last line: the exact last `pending.length` consumed bytes. */
  pending(): Buffer;
  /** Feeds bytes read at `offset`; advances `offset`. */
  consume(chunk: Buffer): void;
  /** Reads (and consumes) what the app appended since, up to the tailer's read budget. */
  catchUp(): Promise<void>;
  /** The live file now holds only the partial line: reading goes on at `offset`. */
  truncated(offset: number): void;
}

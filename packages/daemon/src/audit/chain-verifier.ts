import type { AuditProblem, AuditProblemKind, AuditVerifyResult } from '@owl/rpc/contract';
import { GENESIS_HASH, hashRecord, parseAuditLine, unsealed, type AuditRecord, type ChainTail } from './audit-record.ts';

export interface AuditLine {
  /** File name as reported (audit.log, audit.log.1 ...). */
  file: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** A record the chain continues from. An edited record links by its stored or its true hash. */
interface Link {
  seq: number;
  hashes: readonly string[];
  file: string;
  line: number;
}

interface Checked {
  at: AuditLine;
  record: AuditRecord;
  /** The stored hash matches the content. */
  intact: boolean;
  computed: string;
}

const short = (hash: string): string => hash.slice(0, 12);

function links(record: AuditRecord, to: Link): boolean {
  return record.seq === to.seq + 1 && to.hashes.includes(record.prevHash);
}

/**
 * Walks the audit chain line by line and names each broken link once: an edited record
 * (content no longer matches its hash, or a re-hashed record its successor no longer
 * points to), deleted records (a seq gap where the chain breaks), an inserted record (one
 * the chain skips over), or a malformed line. After a problem it resynchronises on the
 * next record, so one tampering gives one problem, not a cascade.
 */
export class ChainVerifier {
  readonly #problems: AuditProblem[] = [];
  readonly #expectedTail: ChainTail | undefined;
  #anchor: Link | undefined;
  #before: Link | undefined;
  /** A record whose link is broken: judged once the following line is known. */
  #pending: Checked | undefined;
  #records = 0;
  #tail: { seen: boolean; matches: boolean; beyondReported: boolean } = { seen: false, matches: false, beyondReported: false };

  /** `expectedTail`: what the running daemon knows it wrote last; catches removal at the end. */
  constructor(expectedTail?: ChainTail) {
    this.#expectedTail = expectedTail && expectedTail.seq > 0 ? expectedTail : undefined;
  }

  push(line: AuditLine): void {
    const parsed = parseAuditLine(line.text);
    const checked = typeof parsed === 'string' ? undefined : this.#checkHash(line, parsed);
    if (this.#pending) {
      this.#judgeBroken(this.#pending, checked);
      this.#pending = undefined;
    }
    if (typeof parsed === 'string') {
      this.#report(line, null, 'malformed', `line ${line.line} is not an audit record: ${parsed}`);
      // Resynchronise on whatever record comes next.
      this.#anchor = undefined;
      this.#before = undefined;
      return;
    }
    this.#records += 1;
    this.#checkLink(checked as Checked);
  }

  finish(files: string[]): AuditVerifyResult {
    if (this.#pending) this.#judgeBroken(this.#pending, undefined);
    this.#pending = undefined;
    this.#checkExpectedTail();
    return { ok: this.#problems.length === 0, records: this.#records, files, problems: this.#problems };
  }

  #checkHash(at: AuditLine, record: AuditRecord): Checked {
    const computed = hashRecord(unsealed(record));
    return { at, record, intact: computed === record.hash, computed };
  }

  #checkLink(checked: Checked): void {
    const { record, at } = checked;
    const anchor = this.#anchor;
    if (!anchor) {
      if (!checked.intact) this.#reportContentEdited(checked);
      else if (record.seq === 1 && record.prevHash !== GENESIS_HASH) {
        this.#report(at, 1, 'edited', `line ${at.line} (seq 1) starts the chain but its prevHash is not the genesis hash`);
      }
      return this.#accept(checked);
    }
    if (links(record, anchor)) {
      if (!checked.intact) this.#reportContentEdited(checked);
      return this.#accept(checked);
    }
    if (!checked.intact && anchor.hashes.includes(record.prevHash)) {
      this.#reportContentEdited(checked);
      return this.#accept(checked, anchor.seq + 1);
    }
    if (this.#before && links(record, this.#before)) {
      // The chain skips the anchor: it was inserted with a forged but well-formed link.
      this.#report(this.#placeOf(anchor), anchor.seq, 'inserted',
        `line ${anchor.line} (seq ${anchor.seq}) was inserted: line ${at.line} links straight to the record before it`);
      this.#anchor = this.#before;
      this.#before = undefined;
      return this.#accept(checked);
    }
    this.#pending = checked;
  }

  #judgeBroken(broken: Checked, next: Checked | undefined): void {
    const anchor = this.#anchor as Link;
    const { record, at } = broken;
    if (next && links(next.record, anchor)) {
      this.#report(at, record.seq, 'inserted',
        `line ${at.line} (seq ${record.seq}) was inserted: the chain runs from ${this.#where(anchor, at)} straight to line ${next.at.line}`);
      return;
    }
    const expectedSeq = anchor.seq + 1;
    if (record.seq > expectedSeq) {
      const missing = record.seq - expectedSeq;
      const range = missing === 1 ? `seq ${expectedSeq}` : `seq ${expectedSeq}-${record.seq - 1}`;
      this.#report(at, record.seq, 'deleted',
        `${missing} record${missing === 1 ? '' : 's'} (${range}) deleted before line ${at.line}: its prevHash does not match ${this.#where(anchor, at)}`);
      if (!broken.intact) this.#reportContentEdited(broken);
    } else if (record.seq === expectedSeq && !broken.intact) {
      this.#reportContentEdited(broken);
    } else if (record.seq === expectedSeq) {
      this.#report(this.#placeOf(anchor), anchor.seq, 'edited',
        `line ${anchor.line} (seq ${anchor.seq}) was edited and re-hashed: line ${at.line} expects hash ${short(record.prevHash)}, it has ${short(anchor.hashes[0] ?? '')}`);
    } else {
      this.#report(at, record.seq, 'inserted',
        `line ${at.line} (seq ${record.seq}) was inserted: seq ${record.seq} does not follow seq ${anchor.seq} at ${this.#where(anchor, at)}`);
    }
    this.#accept(broken);
  }

  #accept(checked: Checked, seq: number = checked.record.seq): void {
    const hashes = checked.intact ? [checked.record.hash] : [checked.record.hash, checked.computed];
    this.#before = this.#anchor;
    this.#anchor = { seq, hashes, file: checked.at.file, line: checked.at.line };
    this.#trackTail(this.#anchor, checked);
  }

  #trackTail(link: Link, checked: Checked): void {
    const expected = this.#expectedTail;
    if (!expected) return;
    if (link.seq === expected.seq) {
      this.#tail.seen = true;
      this.#tail.matches = link.hashes.includes(expected.hash);
    } else if (link.seq > expected.seq && !this.#tail.beyondReported) {
      this.#tail.beyondReported = true;
      this.#report(checked.at, link.seq, 'inserted',
        `line ${link.line} (seq ${link.seq}) was inserted: the daemon has written records up to seq ${expected.seq} only`);
    }
  }

  #checkExpectedTail(): void {
    const expected = this.#expectedTail;
    if (!expected) return;
    const last = this.#anchor;
    const place = last ? { file: last.file, line: last.line + 1, text: '' } : { file: 'audit.log', line: 1, text: '' };
    if (!this.#tail.seen) {
      const endsAt = last ? `ends at seq ${last.seq}` : 'has no records';
      this.#report(place, null, 'deleted', `records at the end were deleted: the log ${endsAt}, the daemon has written up to seq ${expected.seq}`);
    } else if (!this.#tail.matches) {
      this.#report(place, expected.seq, 'edited', `the record with seq ${expected.seq} differs from the one the daemon wrote (hash ${short(expected.hash)})`);
    }
  }

  #reportContentEdited({ at, record, computed }: Checked): void {
    this.#report(at, record.seq, 'edited',
      `line ${at.line} (seq ${record.seq}) was edited: its content hashes to ${short(computed)}, the record says ${short(record.hash)}`);
  }

  #where(link: Link, from: AuditLine): string {
    return link.file === from.file ? `line ${link.line}` : `line ${link.line} of ${link.file}`;
  }

  #placeOf(link: Link): AuditLine {
    return { file: link.file, line: link.line, text: '' };
  }

  #report(at: AuditLine, seq: number | null, kind: AuditProblemKind, message: string): void {
    this.#problems.push({ file: at.file, line: at.line, seq, kind, message });
  }
}

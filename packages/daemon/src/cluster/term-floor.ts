import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../state/atomic-write.ts';

/**
 * The highest leader term this node has seen, kept in its home. A new leader takes a term
 * above every node's floor, so terms never go back even when Redis restarts empty.
 */
export class TermFloor {
  readonly #file: string;
  #value = 0;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.#file = file;
  }

  static async open(file: string): Promise<TermFloor> {
    const floor = new TermFloor(file);
    const text = await readFile(file, 'utf8').catch(() => '0');
    const value = Number.parseInt(text.trim(), 10);
    floor.#value = Number.isSafeInteger(value) && value > 0 ? value : 0;
    return floor;
  }

  get value(): number {
    return this.#value;
  }

  /** Raises the floor (never lowers it); resolves once the new value is on disk. */
  raise(term: number): Promise<void> {
    if (term <= this.#value) return this.#writing;
    this.#value = term;
    this.#writing = this.#writing.then(() => writeFileAtomic(this.#file, `${this.#value}\n`)).catch(() => undefined);
    return this.#writing;
  }
}

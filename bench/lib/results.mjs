// Collects samples per row and tool, and turns them into medians, ratios and verdicts.
import { ROWS } from './rows.mjs';
import { median, ratio } from './stats.mjs';

export class Results {
  #samples = new Map();
  #notes = new Map();
  #unavailable = new Map();

  add(key, tool, value) {
    const perTool = this.#samples.get(key) ?? { owl: [], pm2: [] };
    perTool[tool].push(value);
    this.#samples.set(key, perTool);
  }

  note(key, text) {
    const notes = this.#notes.get(key) ?? [];
    if (!notes.includes(text)) notes.push(text);
    this.#notes.set(key, notes);
  }

  /** The figure could not be measured for this tool; the report says n/a and why. */
  unavailable(key, tool, reason) {
    this.#unavailable.set(`${key}:${tool}`, reason);
  }

  /** A derived row: each tool's median of one row over the shared floor row's median. */
  #derive(row) {
    const of = this.#samples.get(row.derived.of) ?? { owl: [], pm2: [] };
    const floor = median(this.#samples.get(row.derived.over)?.owl ?? []);
    const share = (values) => (values.length === 0 || !floor ? [] : [median(values) / floor]);
    return { owl: share(of.owl), pm2: share(of.pm2) };
  }

  summarize() {
    return ROWS.map((row) => {
      const samples = row.derived ? this.#derive(row) : (this.#samples.get(row.key) ?? { owl: [], pm2: [] });
      const combine = (values) => (values.length === 0 ? null : row.aggregate === 'max' ? Math.max(...values) : row.aggregate === 'min' ? Math.min(...values) : median(values));
      const owl = combine(samples.owl);
      const pm2 = combine(samples.pm2);
      return {
        ...row,
        owl,
        pm2,
        ratio: row.shared || row.derived ? null : ratio(owl, pm2),
        runs: { owl: samples.owl.length, pm2: samples.pm2.length },
        met: verdict(row.goal, owl, pm2, median(this.#samples.get(row.floorKey)?.owl ?? [])),
        unavailable: { owl: this.#unavailable.get(`${row.key}:owl`) ?? null, pm2: this.#unavailable.get(`${row.key}:pm2`) ?? null },
        notes: this.#notes.get(row.key) ?? [],
        samples,
      };
    });
  }
}

/** Met, missed, or null when not measured; `floor` is the median of owl's own floor samples (null without). */
function verdict(goal, owl, pm2, floor) {
  if (!goal || owl === null) return null;
  if ('aboveFloorMax' in goal) return floor === null ? null : owl - floor <= goal.aboveFloorMax;
  if ('aboveFloorShareMax' in goal) return floor === null ? null : owl - floor <= goal.aboveFloorShareMax * floor;
  // The ratio goal stands unless it lies below the floor: then owl must come within the floor share.
  if ('floorShareMax' in goal && floor !== null && pm2 !== null && goal.ratioMax * pm2 < floor) return owl <= goal.floorShareMax * floor;
  if ('owlEquals' in goal) return owl === goal.owlEquals;
  if ('owlMin' in goal) return owl >= goal.owlMin;
  if ('owlMax' in goal) return owl <= goal.owlMax;
  const value = ratio(owl, pm2);
  if (value === null) return null;
  return 'ratioMax' in goal ? value <= goal.ratioMax : value >= goal.ratioMin;
}

// Number formatting for the report table.

export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === 'ms' || unit === 'MiB' || unit === '% of a core') {
    const digits = Math.abs(value) >= 100 ? 0 : 1;
    return `${value.toFixed(digits)} ${unit === '% of a core' ? '%' : unit}`;
  }
  if (unit === 'lines/s' || unit === 'calls/s') return `${Math.round(value).toLocaleString('en-US')} /s`;
  return `${Math.round(value * 100) / 100}`;
}

/** Two decimals, or three where two would round onto the goal's boundary and hide the verdict. */
export function formatRatio(ratio, goal) {
  if (ratio === null) return '—';
  const boundary = goal?.ratioMax ?? goal?.ratioMin;
  const digits = boundary !== undefined && ratio !== boundary && Number(ratio.toFixed(2)) === boundary ? 3 : 2;
  return `${ratio.toFixed(digits)}x`;
}

export function formatGoal(goal) {
  if (!goal) return '';
  if ('aboveFloorMax' in goal) return `owl's part above its floor <= ${goal.aboveFloorMax}`;
  if ('aboveFloorShareMax' in goal) return `owl's part above its floor <= ${goal.aboveFloorShareMax * 100}% of the floor`;
  if ('floorShareMax' in goal) return `<= ${goal.ratioMax}x, or <= ${goal.floorShareMax}x of the floor where ${goal.ratioMax}x lies below it`;
  if ('ratioMax' in goal) return `<= ${goal.ratioMax}x`;
  if ('ratioMin' in goal) return `>= ${goal.ratioMin}x`;
  if ('owlMin' in goal) return `owl >= ${goal.owlMin}`;
  if ('owlMax' in goal) return `owl <= ${goal.owlMax}`;
  return `owl = ${goal.owlEquals}`;
}

export function formatMet(met) {
  if (met === null) return '';
  return met ? 'yes' : '**no**';
}

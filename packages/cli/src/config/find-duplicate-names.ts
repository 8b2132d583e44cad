/** A name given to two apps: the index that repeats it and the index that had it first. */
export interface DuplicateName {
  name: string;
  index: number;
  firstIndex: number;
}

/** Every app whose `name` an earlier app in the list already has. */
export function findDuplicateNames(apps: readonly unknown[]): DuplicateName[] {
  const firstIndexByName = new Map<string, number>();
  const duplicates: DuplicateName[] = [];
  apps.forEach((app, index) => {
    const name = app !== null && typeof app === 'object' ? (app as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') return;
    const firstIndex = firstIndexByName.get(name);
    if (firstIndex === undefined) firstIndexByName.set(name, index);
    else duplicates.push({ name, index, firstIndex });
  });
  return duplicates;
}

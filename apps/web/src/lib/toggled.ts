/** A copy of the set with `key` flipped in or out (for useState updaters). */
export function toggled<T>(set: ReadonlySet<T>, key: T): Set<T> {
  const s = new Set(set);
  if (s.has(key)) s.delete(key);
  else s.add(key);
  return s;
}

/**
 * Values derived from an immutable object, kept as long as that object is: each version of a
 * thread is its own object, so what is computed from one version (views, rendered HTML) is
 * found again by the next reader of that version and let go with it. No invalidation needed.
 */
export class VersionMemo<V extends object, T> {
  private readonly byVersion = new WeakMap<V, Map<string, T>>();

  get(version: V, key: string, compute: () => T): T {
    let entries = this.byVersion.get(version);
    if (!entries) {
      entries = new Map();
      this.byVersion.set(version, entries);
    }
    let value = entries.get(key);
    if (value === undefined) {
      value = compute();
      entries.set(key, value);
    }
    return value;
  }
}

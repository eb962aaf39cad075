/**
 * A value read now and then from elsewhere (the database): `now()` answers at once with the last
 * value read (the default until the first read is in) and starts a read in the background when
 * the value is older than `maxAgeMs`; `fresh()` waits for the first read. A read that fails or
 * finds nothing keeps the value it had, and is tried again once `maxAgeMs` has passed.
 */
export class Refreshed<T> {
  private value: T;
  private at = 0;
  /** The first read (started by the first call). */
  private first: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<T | null>,
    initial: T,
    private readonly maxAgeMs = 60000,
    private readonly clock: () => number = Date.now,
  ) {
    this.value = initial;
  }

  now(): T {
    if (!this.first) this.first = this.refresh();
    else if (this.clock() - this.at > this.maxAgeMs) void this.refresh();
    return this.value;
  }

  async fresh(): Promise<T> {
    await (this.first ??= this.refresh());
    return this.now();
  }

  private refresh(): Promise<void> {
    this.at = this.clock();
    return this.read()
      .then((value) => {
        if (value !== null) {
          this.value = value;
          this.at = this.clock();
        }
      })
      .catch(() => undefined);
  }
}

/** Time spent in each step of a request, for a `Server-Timing` header. */
export interface Lap {
  name: string;
  ms: number;
}

/** Laps since the last one: `lap('lists')` records the time since the previous lap (or the start). */
export function stopwatch(): { lap: (name: string) => void; laps: Lap[] } {
  const laps: Lap[] = [];
  let last = performance.now();
  return {
    laps,
    lap(name) {
      const now = performance.now();
      laps.push({ name, ms: now - last });
      last = now;
    },
  };
}

/** The laps as a `Server-Timing` header value (browsers' developer tools show it). */
export function serverTiming(laps: Lap[]): string {
  return laps.map((l) => `${l.name};dur=${l.ms.toFixed(1)}`).join(', ');
}

/**
 * Messages between the site's processes: what one process changed that the others keep in memory
 * (cached pages, settings, accounts as sessions see them). Made in server/cluster/bus.ts: over Redis
 * when REDIS_URL is set (processes on several machines), else over the cluster's own channel
 * (workers of one machine, through the primary). A message is heard by every other process, never
 * by its sender.
 */
export interface Bus {
  publish(channel: string, message: string): void;
  /** Calls `handler` with each message on the channel; resolves with the function that stops it. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
}

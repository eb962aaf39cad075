/** How one record of an export ended: written now, there from an earlier run, or left out. */
export type Outcome = 'imported' | 'existing' | 'skipped';

interface KindCounts {
  imported: number;
  existing: number;
  skipped: number;
  /** Imported or existing records by the state they have here (published, draft, visible, held…). */
  states: Map<string, number>;
}

/**
 * What an import did: counts by kind (post, page, comment, pingback…) and outcome, so every record
 * of the file is accounted for; skips with their reasons; every skipped or altered record (through
 * `onRecord`, to a file, and the first thousand in memory); and the old → new address of each post
 * and comment (through `onUrl`).
 */
export class ImportReport {
  posts = { imported: 0, existing: 0 };
  comments = { imported: 0, existing: 0 };
  readonly skipped = new Map<string, number>();
  readonly problems: string[] = [];
  readonly kinds = new Map<string, KindCounts>();
  urls = 0;
  onRecord: (line: string) => void = () => undefined;
  onUrl: (from: string, to: string) => void = () => undefined;
  /** Called with each post and each batch of comments written, so the search index follows the import. */
  onPostWritten: (post: { _id: unknown }) => Promise<void> = async () => undefined;
  onCommentsWritten: (comments: { _id: unknown; post: unknown }[]) => Promise<void> = async () => undefined;

  /** Counts one record of a kind; `state` is where it stands here, when it is here. */
  count(kind: string, outcome: Outcome, state?: string, n = 1): void {
    this.countsOf(kind)[outcome] += n;
    if (state && outcome !== 'skipped') this.state(kind, state, n);
  }

  /** Counts records of a kind by their state here, apart from their outcome. */
  state(kind: string, state: string, n = 1): void {
    const { states } = this.countsOf(kind);
    states.set(state, (states.get(state) ?? 0) + n);
  }

  private countsOf(kind: string): KindCounts {
    let counts = this.kinds.get(kind);
    if (!counts) this.kinds.set(kind, (counts = { imported: 0, existing: 0, skipped: 0, states: new Map() }));
    return counts;
  }

  skip(reason: string, count = 1): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + count);
  }

  /** A record of a kind left out: counted, its reason tallied, and the record listed. */
  skipRecord(kind: string, reason: string, message: string): void {
    this.count(kind, 'skipped');
    this.skip(reason);
    this.problem(message);
  }

  /** A record left out or changed on the way, with the reason. */
  problem(message: string): void {
    if (this.problems.length < 1000) this.problems.push(message);
    this.onRecord(message);
  }

  url(from: string, to: string): void {
    this.urls += 1;
    this.onUrl(from, to);
  }

  summary(): string {
    const lines = [
      `posts: ${this.posts.imported} imported, ${this.posts.existing} already there`,
      `comments: ${this.comments.imported} imported, ${this.comments.existing} already there`,
    ];
    if (this.kinds.size) {
      lines.push('by kind (total = imported + already there + skipped):');
      for (const [kind, c] of [...this.kinds].sort()) {
        const total = c.imported + c.existing + c.skipped;
        const states = [...c.states].map(([state, n]) => `${n} ${state}`).join(', ');
        lines.push(
          `  ${kind}: ${total} = ${c.imported} + ${c.existing} + ${c.skipped}${states ? ` (here: ${states})` : ''}`,
        );
      }
    }
    if (this.skipped.size) {
      lines.push(`skipped: ${[...this.skipped].map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
    }
    if (this.urls) lines.push(`old addresses mapped to new ones: ${this.urls}`);
    if (this.problems.length) {
      const more = this.problems.length >= 1000 ? ' (the first 1,000; all are in the report file)' : '';
      lines.push(`skipped or changed records (${this.problems.length})${more}:`);
      lines.push(...this.problems.map((p) => `  - ${p}`));
    }
    return lines.join('\n');
  }
}

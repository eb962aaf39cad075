/** What an import did: counts, skips with their reasons, and problems found. */
export class ImportReport {
  posts = { imported: 0, existing: 0 };
  comments = { imported: 0, existing: 0 };
  readonly skipped = new Map<string, number>();
  readonly problems: string[] = [];

  skip(reason: string, count = 1): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + count);
  }

  problem(message: string): void {
    if (this.problems.length < 1000) this.problems.push(message);
  }

  summary(): string {
    const lines = [
      `posts: ${this.posts.imported} imported, ${this.posts.existing} already there`,
      `comments: ${this.comments.imported} imported, ${this.comments.existing} already there`,
    ];
    if (this.skipped.size) {
      lines.push(`skipped: ${[...this.skipped].map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
    }
    if (this.problems.length)
      lines.push(`problems (${this.problems.length}):`, ...this.problems.map((p) => `  - ${p}`));
    return lines.join('\n');
  }
}

import path from 'node:path';

/** A file name typed on the command line, from the directory it was typed in (npm run moves to the project's). */
export function fromWhereTheyTyped(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

/** "412 posts, 101,902 comments, 3 users" — the collections readers would ask about first. */
export function describeCounts(collections: Record<string, number>): string {
  const first = ['posts', 'comments', 'users', 'letters'];
  const names = [
    ...first.filter((name) => name in collections),
    ...Object.keys(collections)
      .filter((name) => !first.includes(name))
      .sort(),
  ];
  return names
    .filter((name) => collections[name] > 0)
    .map((name) => `${collections[name].toLocaleString('en-US')} ${name}`)
    .join(', ');
}

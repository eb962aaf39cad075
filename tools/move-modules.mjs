// Moves TypeScript modules and rewrites every relative import of them (and theirs).
// Usage: node tools/move-modules.mjs old.ts=new.ts ...   (paths from the repo root)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const moves = new Map(process.argv.slice(2).map((arg) => arg.split('=').map((p) => path.resolve(root, p))));
const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('tools/embedded-mongo/'))
  .map((f) => path.resolve(root, f));
const where = (abs) => moves.get(abs) ?? abs;
const SPEC = /((?:from|import|jest\.mock|require)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const dir = path.dirname(file);
  const newDir = path.dirname(where(file));
  const out = text.replace(SPEC, (all, lead, q, spec) => {
    const target = path.resolve(dir, spec);
    const ts = target.replace(/\.js$/, '.ts');
    const key = moves.has(ts) ? ts : moves.has(target) ? target : null;
    const resolved = key ? moves.get(key).replace(/\.ts$/, spec.endsWith('.js') ? '.js' : '.ts') : target;
    if (!key && newDir === dir) return all;
    let rel = path.relative(newDir, resolved).replace(/\\/g, '/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${lead}${q}${rel}${q}`;
  });
  if (out !== text) writeFileSync(file, out);
}
for (const [from, to] of moves) {
  if (!existsSync(from)) throw new Error(`missing ${from}`);
  mkdirSync(path.dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to]);
}

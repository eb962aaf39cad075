/**
 * npm run bench:search: search on a site of BENCH_SEARCH_COMMENTS comments (default 1,000,000).
 *
 * 1. Builds the database in BENCH_SEARCH_DIR (default a temporary directory; an existing one made
 *    by an earlier run is reused, so the queries can be measured again without building): posts of
 *    100 comments whose words follow a Zipf distribution over a 20,000-word vocabulary (the most
 *    common 300 are English words, the rest made-up ones), 10 to 80 words a comment. Comments and
 *    posts are written, then indexed for search with the app's own SearchIndex, each batch timed:
 *    the indexing rate.
 * 2. Starts the built server on it and sends 300 queries, one at a time, to GET /api/search: 100
 *    each of one, two and three words, drawn with the words' own frequencies (people search for the
 *    words they read). Prints p50/p95/p99 by number of words. Then 50 each of one word within a
 *    thread, by an author, in a tag and over one to three months (p50/p99 of each).
 * 3. Posts guest comments at 200 a second for 10 seconds, each with a word of its own, and measures
 *    how long after its POST answered a comment is found by search (its indexing lag).
 * 4. With the server stopped, the index alone following 200 new comments a second for 30 seconds
 *    (written to the database and queued on a SearchIndex as the comment service's events queue
 *    them): its lag and backlog, which say whether indexing keeps up with that rate.
 *
 * BENCH_SEARCH_NO_BUILD=1 uses dist/ as it is; BENCH_SEARCH_ONLY_POSTING=1 skips the queries;
 * BENCH_SEARCH_ONLY_QUERIES=1 stops after them (steps 3 and 4 add comments to a kept database);
 * BENCH_SEARCH_ONLY_INDEXING=1 runs step 4 alone (at BENCH_SEARCH_INDEX_RATE a second);
 * BENCH_SEARCH_SERVER_DIR runs another checkout's built server on the same database (an A/B);
 * BENCH_SEARCH_TRACE_GC=1 prints the server's garbage collections (node --trace-gc).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { CommentModel } from '../models/comment';
import { PostModel } from '../models/post';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase, type EmbeddedDb } from '../server/db/embedded';
import { SearchIndex, type CommentSource, type PostSource } from '../server/services/search/search-index';
import { SearchService } from '../server/services/search/search-service';
import { prng } from '../server/seed/generate';
import { vocabulary, zipf } from '../tools/realistic-text';
import { guestToken } from '../server/auth/csrf';
import { quantile } from './lib/browser';
import { startBuiltServer } from './lib/server';

const ROOT = path.resolve(__dirname, '..');
const COMMENTS = Number(process.env.BENCH_SEARCH_COMMENTS ?? 1_000_000);
const PER_POST = 100;
const QUERIES_PER_LENGTH = Number(process.env.BENCH_SEARCH_QUERIES ?? 100);
const SECRET = 'benchmark-only-session-secret-0123456789';

function log(message: string): void {
  console.log(`[bench:search] ${message}`);
}

function sentence(draw: () => string, random: () => number, min: number, max: number): string {
  const n = min + Math.floor(random() * (max - min));
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) out.push(draw());
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

async function build(uri: string): Promise<{ seconds: number; indexSeconds: number }> {
  await connectMongoose(uri);
  const random = prng(11);
  const draw = zipf(vocabulary(), random);
  const index = new SearchIndex();
  await index.clear();
  const posts = Math.ceil(COMMENTS / PER_POST);
  const started = Date.now();
  let indexMs = 0;
  let written = 0;
  let shown = Date.now();
  const start = Date.UTC(2016, 0, 1);
  // Indexed 20,000 comments at a time, as `npm run reindex` does (fewer, fuller postings rows).
  let postDocs: PostSource[] = [];
  let comments: CommentSource[] = [];
  for (let p = 0; p < posts; p += 20) {
    const newPosts: PostSource[] = [];
    const newComments: CommentSource[] = [];
    for (let i = p; i < Math.min(posts, p + 20); i += 1) {
      const _id = new Types.ObjectId();
      const at = new Date(start + i * 3600000 * 6);
      const title = sentence(draw, random, 4, 9).replace(/\.$/, '');
      const letter = sentence(draw, random, 60, 120);
      const answer = sentence(draw, random, 120, 300);
      newPosts.push({
        _id,
        title,
        slug: `bench-${i}`,
        tags: [draw(), draw()],
        letterHtml: `<p>${letter}</p>`,
        answerHtml: `<p>${answer}</p>`,
        authorName: 'The Columnist',
        status: 'published',
        publishedAt: at,
        createdAt: at,
      } as PostSource);
      for (let c = 0; c < PER_POST && i * PER_POST + c < COMMENTS; c += 1) {
        const body = sentence(draw, random, 10, 80);
        newComments.push({
          _id: new Types.ObjectId(),
          post: _id,
          bodyHtml: `<p>${body}</p>`,
          authorName: `Reader ${c % 97}`,
          status: 'visible',
          number: c + 1,
          createdAt: new Date(at.getTime() + (c + 1) * 60000),
          bodySource: body,
        } as CommentSource & { bodySource: string });
      }
    }
    await PostModel.insertMany(
      newPosts.map((d) => ({
        ...d,
        letterSource: d.letterHtml,
        answerSource: d.answerHtml,
        format: 'html',
        commentStatus: 'open',
        commentCount: PER_POST,
        threadVersion: 'bench',
        authorNameKey: 'thecolumnist',
        excerpt: '',
      })),
      { ordered: false, lean: true },
    );
    await CommentModel.insertMany(
      newComments.map((c) => ({
        ...c,
        parent: null,
        ancestors: [],
        root: c._id,
        depth: 0,
        authorKind: 'guest',
      })),
      { ordered: false, lean: true },
    );
    postDocs.push(...newPosts);
    comments.push(...newComments);
    if (comments.length < 20000 && p + 20 < posts) continue;
    const t = Date.now();
    await index.writePosts(postDocs, true);
    const facts = new Map(postDocs.map((d) => [String(d._id), { published: true, tags: d.tags }]));
    await index.writeComments(comments, facts, true);
    indexMs += Date.now() - t;
    written += comments.length;
    postDocs = [];
    comments = [];
    if (Date.now() - shown > 10000) {
      shown = Date.now();
      log(
        `  ${written.toLocaleString('en-US')} of ${COMMENTS.toLocaleString('en-US')} comments written and indexed; ` +
          `indexing ${Math.round(written / (indexMs / 1000))} comments/s`,
      );
    }
  }
  await mongoose.disconnect();
  return { seconds: (Date.now() - started) / 1000, indexSeconds: indexMs / 1000 };
}

function startServer(uri: string): Promise<{ child: ChildProcess; base: string }> {
  // BENCH_SEARCH_SERVER_DIR: another checkout's built server on the same database (an A/B).
  return startBuiltServer({
    cwd: process.env.BENCH_SEARCH_SERVER_DIR ?? ROOT,
    uri,
    secret: SECRET,
    nodeArgs: process.env.BENCH_SEARCH_TRACE_GC ? ['--trace-gc'] : [],
    echo: Boolean(process.env.BENCH_SEARCH_TRACE_GC),
    env: {
      // One client sends every query: the per-address search limit would refuse most of them.
      SEARCH_PER_MINUTE: '0',
      SPAM_HOLD_SCORE: '0',
      HOLD_LINKS_OVER: '100',
    },
  });
}

interface Searched {
  ms: number;
  results: number;
  snippets: string[];
  /** The server's own account of the time (its Server-Timing header): step → ms. */
  steps: Map<string, number>;
}

async function search(base: string, q: string): Promise<Searched> {
  const started = performance.now();
  // (What follows a `&` is the query string's own: a filter.)
  const [words, ...filters] = q.split('&');
  const res = await fetch(`${base}/api/search?${[`q=${encodeURIComponent(words)}`, ...filters].join('&')}`);
  const body = (await res.json()) as { results?: { snippet: string }[] };
  if (res.status !== 200) throw new Error(`search "${q}" answered ${res.status}`);
  const results = body.results ?? [];
  const steps = new Map<string, number>();
  for (const part of (res.headers.get('server-timing') ?? '').split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (match) steps.set(match[1], (steps.get(match[1]) ?? 0) + Number(match[2]));
  }
  return {
    ms: performance.now() - started,
    results: results.length,
    snippets: results.map((r) => r.snippet),
    steps,
  };
}

/** Where the time of these queries went, by the server's steps: p50 and p99 of each. */
function stepsOf(searched: Searched[]): string {
  const names = [...new Set(searched.flatMap((s) => [...s.steps.keys()]))];
  return names
    .map((name) => {
      const ms = searched.map((s) => s.steps.get(name) ?? 0);
      return `${name} ${quantile(ms, 0.5).toFixed(1)}/${quantile(ms, 0.99).toFixed(1)}`;
    })
    .join(', ');
}

/**
 * A word of letters only, never seen before (digits would be split off by the tokenizer, and the
 * pieces found in an earlier run's comments on a kept database).
 */
function uniqueWord(prefix: string, n: number): string {
  let letters = '';
  // Not the benchmark's seeded generator: another run on a kept database must draw other words.
  for (let x = n + 26 * 26 * 26 * Math.floor(Math.random() * 1e9); x > 0; x = Math.floor(x / 26)) {
    letters += String.fromCharCode(97 + (x % 26));
  }
  return `${prefix}${letters}`;
}

/** Whether a result shows this very word (found is this comment, not another one). */
const shows = (snippets: string[], word: string) => snippets.some((s) => s.includes(`<mark>${word}</mark>`));

async function measureQueries(base: string): Promise<void> {
  const random = prng(23);
  // Queries draw words as readers meet them: by frequency, without the 30 most common.
  const words = vocabulary().slice(30);
  const draw = zipf(words, random);
  // Warm-up: a server that has been up a while has run each kind of query before (its code is
  // compiled, its connections open).
  for (let i = 0; i < 30; i += 1) await search(base, Array.from({ length: 1 + (i % 3) }, draw).join(' '));
  const all: number[] = [];
  const slowest: { q: string; at: number; searched: Searched }[] = [];
  for (const length of [1, 2, 3]) {
    const times: number[] = [];
    const searched: Searched[] = [];
    let found = 0;
    for (let i = 0; i < QUERIES_PER_LENGTH; i += 1) {
      const q = Array.from({ length }, draw).join(' ');
      const one = await search(base, q);
      times.push(one.ms);
      searched.push(one);
      slowest.push({ q, at: all.length + i + 1, searched: one });
      if (one.results) found += 1;
    }
    all.push(...times);
    log(
      `  ${length} word${length === 1 ? '' : 's'}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, ` +
        `p99 ${quantile(times, 0.99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (${found} of ${times.length} found something)`,
    );
    log(`    server steps, p50/p99 ms: ${stepsOf(searched)}`);
  }
  slowest.sort((a, b) => b.searched.ms - a.searched.ms);
  for (const { q, at, searched } of slowest.slice(0, 5)) {
    const steps = [...searched.steps].map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
    log(`  slow: "${q}" (query ${at}) ${searched.ms.toFixed(0)} ms (${steps})`);
  }
  log(
    `  all ${all.length} queries: p50 ${quantile(all, 0.5).toFixed(1)} ms, p99 ${quantile(all, 0.99).toFixed(1)} ms`,
  );
}

/**
 * One word with a filter, 50 queries of each kind: within one post's thread, by one of the 97
 * commenters (about 10,000 comments each), in a tag (tags are words drawn as the text's are, so
 * the common ones cover many posts), over one to three months (about 12,000 comments a month).
 */
async function measureFiltered(base: string): Promise<void> {
  const random = prng(29);
  const draw = zipf(vocabulary().slice(30), random);
  const posts = Math.ceil(COMMENTS / PER_POST);
  const kinds: [string, () => string][] = [
    ['within a thread', () => `post=bench-${Math.floor(random() * posts)}`],
    ['by an author', () => `author=${encodeURIComponent(`Reader ${Math.floor(random() * 97)}`)}`],
    ['in a tag', () => `tag=${encodeURIComponent(draw())}`],
    [
      'over one to three months',
      () => {
        // The site's comments span 2016 to late 2022 (a post every six hours).
        const first = new Date(Date.UTC(2016, Math.floor(random() * 80), 1));
        const last = new Date(
          Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1 + Math.floor(random() * 3), 0),
        );
        return `from=${first.toISOString().slice(0, 10)}&to=${last.toISOString().slice(0, 10)}`;
      },
    ],
  ];
  for (const [name, filter] of kinds) {
    const searched: Searched[] = [];
    let found = 0;
    for (let i = 0; i < 50; i += 1) {
      const one = await search(base, `${draw()}&${filter()}`);
      searched.push(one);
      if (one.results) found += 1;
    }
    const times = searched.map((s) => s.ms);
    log(
      `  one word ${name}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms ` +
        `(${found} of ${times.length} found something); server steps p50/p99 ms: ${stepsOf(searched)}`,
    );
  }
}

async function measureFollowing(base: string): Promise<void> {
  const rate = 200;
  const seconds = 10;
  const token = guestToken(SECRET);
  const acked = new Map<string, number>();
  const found = new Map<string, number>();
  const refused = new Map<number, number>();
  const posts: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < rate * seconds; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const word = uniqueWord('zq', i);
    posts.push(
      fetch(`${base}/posts/bench-${i % 50}/comments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: base,
          'sec-fetch-site': 'same-origin',
        },
        body: new URLSearchParams({
          _csrf: token,
          name: `Writer ${i % 300}`,
          body: `Fresh thought ${word} about the meeting.`,
        }),
        redirect: 'manual',
      })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status === 303) acked.set(word, performance.now());
          else refused.set(res.status, (refused.get(res.status) ?? 0) + 1);
        })
        // A connection the overloaded server never accepted counts as refused (status 0).
        .catch(() => {
          refused.set(0, (refused.get(0) ?? 0) + 1);
        }),
    );
  }
  await Promise.all(posts);
  const postedFor = (performance.now() - started) / 1000;
  // Every 20th comment: how long after its POST answered is it found by search?
  const sample = [...acked.keys()].filter((_, i) => i % 20 === 0);
  const deadline = performance.now() + 30000;
  while (found.size < sample.length && performance.now() < deadline) {
    for (const word of sample) {
      if (found.has(word)) continue;
      const hit = await search(base, word).catch(() => ({ snippets: [] as string[] }));
      if (shows(hit.snippets, word)) found.set(word, performance.now());
    }
  }
  const lags = sample.filter((w) => found.has(w)).map((w) => found.get(w)! - acked.get(w)!);
  if (refused.size) log(`  refused: ${[...refused].map(([status, n]) => `${n} with ${status}`).join(', ')}`);
  log(
    `  posted ${acked.size} comments in ${postedFor.toFixed(1)} s (${Math.round(acked.size / postedFor)}/s); ` +
      `${lags.length} of ${sample.length} sampled found by search, lag after the POST: p50 ${quantile(lags, 0.5).toFixed(0)} ms, ` +
      `p99 ${quantile(lags, 0.99).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`,
  );
}

/**
 * The index alone following new comments at BENCH_SEARCH_INDEX_RATE a second (default 200) for 30
 * seconds: comments written straight to the database and queued on a SearchIndex, as the comment
 * service's events queue them, in this process with no server running (the HTTP posting path is
 * measured above, and on this machine does not itself take 200 a second). Every 20th comment's lag,
 * from being queued to being found by search, and the backlog, sampled every 100 ms.
 */
async function measureIndexing(uri: string): Promise<void> {
  const rate = Number(process.env.BENCH_SEARCH_INDEX_RATE ?? 200);
  const seconds = 30;
  await connectMongoose(uri);
  const index = new SearchIndex((err) => console.error(err));
  const search = new SearchService();
  const posts = await PostModel.find({
    slug: mongoose.trusted({ $in: Array.from({ length: 50 }, (_, i) => `bench-${i}`) }),
  })
    .select('_id')
    .lean<{ _id: Types.ObjectId }[]>();
  const queuedAt = new Map<string, number>();
  const runBase = Date.now();
  const lags: number[] = [];
  /** Searches for each sampled word; one found counts its lag and is no longer looked for. */
  const lookFor = async (sampled: [string, number][]) => {
    for (const [word, at] of sampled) {
      const { results } = await search.search({ q: word });
      if (
        !shows(
          results.map((r) => r.snippet),
          word,
        )
      )
        continue;
      lags.push(performance.now() - at);
      queuedAt.delete(word);
    }
  };
  let backlog = 0;
  let written = 0;
  const started = performance.now();
  const tick = 100;
  for (let step = 0; step < (seconds * 1000) / tick; step += 1) {
    const due = started + step * tick;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const docs = Array.from({ length: Math.round((rate * tick) / 1000) }, () => {
      written += 1;
      const word = uniqueWord('zr', written);
      const _id = new Types.ObjectId();
      if (written % 20 === 0) queuedAt.set(word, 0);
      return {
        _id,
        post: posts[written % posts.length]._id,
        bodyHtml: `<p>Fresh thought ${word} about the meeting.</p>`,
        bodySource: `Fresh thought ${word} about the meeting.`,
        authorName: `Writer ${written % 300}`,
        authorKind: 'guest',
        status: 'visible',
        // Numbers of their own in every run (a kept database has the last run's).
        number: runBase + written,
        parent: null,
        ancestors: [],
        root: _id,
        depth: 0,
        createdAt: new Date(),
        word,
      };
    });
    await CommentModel.insertMany(
      docs.map(({ word: _word, ...doc }) => doc),
      { ordered: false, lean: true },
    );
    const now = performance.now();
    for (const doc of docs) {
      index.queue(doc._id, 'c');
      if (queuedAt.get(doc.word) === 0) queuedAt.set(doc.word, now);
    }
    backlog = Math.max(backlog, index.backlog);
    // The oldest few sampled comments not found yet: are they now?
    await lookFor([...queuedAt].slice(0, 3));
  }
  const postedFor = (performance.now() - started) / 1000;
  const deadline = performance.now() + 60000;
  while (queuedAt.size && performance.now() < deadline) {
    await lookFor([...queuedAt]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  log(
    `  ${written} comments queued in ${postedFor.toFixed(1)} s (${Math.round(written / postedFor)}/s); largest backlog ${backlog}; ` +
      `${lags.length} sampled found, lag p50 ${quantile(lags, 0.5).toFixed(0)} ms, p99 ${quantile(lags, 0.99).toFixed(0)} ms, ` +
      `max ${Math.max(...lags).toFixed(0)} ms${queuedAt.size ? `; ${queuedAt.size} not found after 60 s` : ''}`,
  );
  await mongoose.disconnect();
}

async function main(): Promise<void> {
  const dir = process.env.BENCH_SEARCH_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
  const keep = Boolean(process.env.BENCH_SEARCH_DIR);
  const marker = path.join(dir, `built-${COMMENTS}`);
  let db: EmbeddedDb | undefined;
  let server: { child: ChildProcess } | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    db = await startEmbeddedDb({
      binary: path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo'),
      dataDir: path.join(dir, 'db'),
    });
    const uri = withDatabase(db.uri, 'search');
    if (existsSync(marker)) log(`reusing the ${COMMENTS.toLocaleString('en-US')}-comment database in ${dir}`);
    else {
      log(`building ${COMMENTS.toLocaleString('en-US')} comments in ${dir}`);
      const built = await build(uri);
      log(
        `  built in ${built.seconds.toFixed(0)} s; indexing took ${built.indexSeconds.toFixed(0)} s: ` +
          `${Math.round(COMMENTS / built.indexSeconds)} comments/s indexed`,
      );
      writeFileSync(marker, new Date().toISOString());
    }
    if (process.env.BENCH_SEARCH_ONLY_INDEXING) {
      log(`the index alone following ${process.env.BENCH_SEARCH_INDEX_RATE ?? 200} new comments a second:`);
      await measureIndexing(uri);
      return;
    }
    log('building the server (npm run build)');
    if (!process.env.BENCH_SEARCH_NO_BUILD)
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    const started = await startServer(uri);
    server = started;
    if (!process.env.BENCH_SEARCH_ONLY_POSTING) {
      log('queries, one at a time, over HTTP:');
      await measureQueries(started.base);
      log('filtered queries, one at a time:');
      await measureFiltered(started.base);
    }
    if (process.env.BENCH_SEARCH_ONLY_QUERIES) return;
    log('search following new comments posted at 200/s:');
    await measureFollowing(started.base);
    started.child.kill('SIGTERM');
    server = undefined;
    log(`the index alone following ${process.env.BENCH_SEARCH_INDEX_RATE ?? 200} new comments a second:`);
    await measureIndexing(uri);
  } finally {
    server?.child.kill('SIGTERM');
    await db?.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

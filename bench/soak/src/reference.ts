import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The soak's reference, measured in the same sitting: the stack as it was built when the goal
 * was set — the revision whose `npm start` stack served 263–347 req/s of mixed traffic at 32
 * connections, 60 s, on an earlier sitting of a machine like this one. On a shared 2-core machine
 * whose speed moves by a factor of three between sittings, only a reference measured next to the
 * figure says what the figure is worth.
 */
export const REFERENCE_REVISION = 'b336cf9';

/** What one soak run reports to the run that started it (`BENCH_RESULT_FILE`). */
export interface SoakResult {
  rate: number;
  errors: number;
  lost: number;
  migrationCommitted: boolean;
  rssFlagged: number;
  /** CPU µs per request by part of the machine (services by kind, driver, PostgreSQL, Redis, rest). */
  cpuPerRequestUs: Record<string, number>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const res = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${res.status}`);
}

/**
 * The reference revision's tree, ready to run: its files from git (`git archive`, so no
 * worktree is registered in the repository), its own `npm ci`, and the Prisma clients its
 * `npm ci` did not yet generate. Kept outside the repository (`BENCH_REFERENCE_DIR`, default
 * `$TMPDIR/rt-soak-reference/<commit>`), where no lint, type check or test of this tree sees it,
 * and reused by the next run.
 */
export function prepareReference(root: string, revision: string): string {
  const commit = spawnSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (commit.status !== 0)
    throw new Error(
      `the reference revision ${revision} is not in this clone's history (git fetch --unshallow?)`,
    );
  const dir = join(
    process.env.BENCH_REFERENCE_DIR ?? join(tmpdir(), 'rt-soak-reference'),
    commit.stdout.trim().slice(0, 12),
  );
  const ready = join(dir, '.soak-reference-ready');
  if (existsSync(ready)) return dir;
  say(`reference: preparing ${revision} in ${dir} (git archive, npm ci, prisma generate; once)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', revision], { cwd: root, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${revision}: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  // That revision's `npm ci` left the Prisma clients ungenerated (a later one generates them).
  if (!existsSync(join(dir, 'packages/db/src/generated')))
    run('npm', ['run', 'generate', '-w', '@rt/db', '--silent'], dir, {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
    });
  writeFileSync(ready, `${revision}\n`);
  return dir;
}

/** Runs the soak script once more, as a child, against `stackRoot`'s stack; its report goes to stdout. */
export async function soakChild(options: {
  script: string;
  root: string;
  stackRoot?: string;
  args: string[];
  resultFile: string;
}): Promise<SoakResult | undefined> {
  rmSync(options.resultFile, { force: true });
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', options.script, ...options.args],
    {
      cwd: options.root,
      env: {
        ...process.env,
        BENCH_RESULT_FILE: options.resultFile,
        ...(options.stackRoot ? { BENCH_STACK_ROOT: options.stackRoot } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await new Promise((resolve) => child.once('exit', resolve));
  if (!existsSync(options.resultFile)) return undefined;
  return JSON.parse(readFileSync(options.resultFile, 'utf8')) as SoakResult;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * `--reference`: the soak of the reference stack and of this one, in the same sitting, with the
 * same traffic, knobs and duration, `BENCH_RUNS` times (default 1; the order alternates between
 * runs so a drifting machine favours neither); prints both reports, then the pairs and the median
 * ratio, and judges the throughput goal (≥ 5× the reference) on that ratio. The reference runs from
 * source through tsx, as its `npm start` did (it has no `--built`); this stack runs as the soak
 * would without `--reference` (its builds, or `--source`).
 */
export async function runWithReference(options: {
  root: string;
  script: string;
  source: boolean;
  short: boolean;
}): Promise<number> {
  const revision = process.env.BENCH_REFERENCE_REVISION ?? REFERENCE_REVISION;
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
  const dir = prepareReference(options.root, revision);
  const resultFile = join(tmpdir(), `rt-soak-result-${process.pid}.json`);
  const common = options.short ? ['--short'] : [];
  const pairs: Array<{ reference?: SoakResult; current?: SoakResult }> = [];
  for (let i = 0; i < runs; i++) {
    const pair: { reference?: SoakResult; current?: SoakResult } = {};
    const order = i % 2 === 0 ? (['reference', 'current'] as const) : (['current', 'reference'] as const);
    for (const which of order) {
      say(
        `\n# run ${i + 1} of ${runs}: ${which === 'reference' ? `the reference stack (${revision})` : 'this stack'}\n`,
      );
      pair[which] =
        which === 'reference'
          ? await soakChild({ ...options, stackRoot: dir, args: ['--source', ...common], resultFile })
          : await soakChild({
              ...options,
              args: [...(options.source ? ['--source'] : []), ...common],
              resultFile,
            });
    }
    pairs.push(pair);
  }
  rmSync(resultFile, { force: true });

  say(`\n## Soak against its reference (${revision}), same sitting, same traffic\n`);
  say('| run | reference req/s | this stack req/s | × reference |');
  say('|-----|-----------------|------------------|-------------|');
  const ratios: number[] = [];
  pairs.forEach((p, i) => {
    const ratio = p.reference && p.current ? p.current.rate / p.reference.rate : Number.NaN;
    if (Number.isFinite(ratio)) ratios.push(ratio);
    say(
      `| ${i + 1} | ${p.reference?.rate.toFixed(0) ?? 'failed'} | ${p.current?.rate.toFixed(0) ?? 'failed'} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'} |`,
    );
  });
  const ratio = ratios.length === pairs.length ? median(ratios) : Number.NaN;
  // Where each stack's CPU per request went (median over the runs), part by part.
  const parts = [...new Set(pairs.flatMap((p) => Object.keys(p.current?.cpuPerRequestUs ?? {})))];
  const us = (which: 'reference' | 'current', part: string) => {
    const xs = pairs.flatMap((p) => p[which]?.cpuPerRequestUs[part] ?? []);
    return xs.length ? median(xs) : Number.NaN;
  };
  say('\nCPU µs per request by part (median over the runs):\n');
  say('| part | reference | this stack | × less |');
  say('|------|-----------|------------|--------|');
  for (const part of parts) {
    const a = us('reference', part);
    const b = us('current', part);
    say(`| ${part} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(a / b).toFixed(2)} |`);
  }
  const currents = pairs.map((p) => p.current);
  const verdicts = [
    [
      `throughput ≥ 5× the reference (median ${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'}×)`,
      ratio >= 5,
    ],
    ['0 unexpected answers', currents.every((c) => c && c.errors === 0)],
    ['migration committed', currents.every((c) => c?.migrationCommitted)],
    ['RSS within ±10%', currents.every((c) => c && c.rssFlagged === 0)],
    ['no lost write', currents.every((c) => c && c.lost === 0)],
  ] as const;
  say('');
  for (const [what, ok] of verdicts) say(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  // Like a soak without --reference: a broken run fails, a slow one is reported.
  return currents.every((c) => c && c.errors === 0 && c.lost === 0 && c.migrationCommitted) ? 0 : 1;
}

/**
 * Compares two V8 heap snapshots of one process (e.g. the soak's, taken at 30 s and at the end
 * with BENCH_HEAPSNAPSHOT): live bytes and objects by kind and constructor, biggest growth first.
 *
 *   node --import tsx bench/soak/src/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [rows]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size and count of the snapshot's nodes, by `type:name` (constructor for objects). */
function histogram(file: string): { total: number; byKey: Map<string, { size: number; count: number }> } {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const byKey = new Map<string, { size: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const size = snap.nodes[i + sizeAt]!;
    total += size;
    // Strings and code are grouped by kind only; their names are their contents.
    const name = ['object', 'closure', 'native', 'hidden', 'array'].includes(type)
      ? snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60)
      : '';
    const key = `${type}:${name}`;
    const entry = byKey.get(key) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    byKey.set(key, entry);
  }
  return { total, byKey };
}

const [beforeFile, afterFile, rowsArg] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  process.stderr.write('usage: heap-diff <before.heapsnapshot> <after.heapsnapshot> [rows]\n');
  process.exit(64);
}
const before = histogram(beforeFile);
const after = histogram(afterFile);
const mib = (n: number) => (n / 1048576).toFixed(2);
process.stdout.write(
  `live heap: ${mib(before.total)} MiB → ${mib(after.total)} MiB (${after.total >= before.total ? '+' : ''}${mib(after.total - before.total)} MiB)\n\n`,
);
const keys = new Set([...before.byKey.keys(), ...after.byKey.keys()]);
const rows = [...keys]
  .map((key) => {
    const b = before.byKey.get(key) ?? { size: 0, count: 0 };
    const a = after.byKey.get(key) ?? { size: 0, count: 0 };
    return { key, dSize: a.size - b.size, dCount: a.count - b.count, size: a.size, count: a.count };
  })
  .sort((x, y) => y.dSize - x.dSize)
  .slice(0, Number(rowsArg ?? 25));
process.stdout.write('   Δ MiB   Δ count |   MiB     count | type:constructor\n');
for (const r of rows) {
  process.stdout.write(
    `${mib(r.dSize).padStart(8)} ${String(r.dCount).padStart(9)} | ${mib(r.size).padStart(6)} ${String(r.count).padStart(9)} | ${r.key}\n`,
  );
}

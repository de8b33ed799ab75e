/**
 * Merge the results files of a sharded sweep (or of several runs of the same sweep) into one:
 * the headers must agree on command, config and seed; records are united by key, and a key present
 * twice with different numbers is an error.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { checkOutputFile } from './output-path.js';
import { firstDifference, readResults, stableStringify, sweepIdentity, type ResultHeader, type ResultRecord } from './results.js';

export interface MergeSummary {
  files: number;
  records: number;
  shards: number[];
  /** Shard indexes of a sharded run that are missing from the inputs. */
  missingShards: number[];
}

export function mergeResults(inputs: string[], out: string): MergeSummary {
  if (inputs.length === 0) throw new UsageError('merge needs at least one results file');
  checkOutputFile(out);
  const files = inputs.map((p) => ({ path: p, ...readResults(p) }));
  const first = files[0].header;
  const ident = (h: ResultHeader) => ({ ...sweepIdentity(h), shard: undefined });
  const byKey = new Map<string, ResultRecord>();
  const shards = new Set<number>();
  let shardCount: number | undefined;
  for (const f of files) {
    const diff = firstDifference(ident(f.header), ident(first));
    if (diff !== undefined) {
      throw new UsageError(`${JSON.stringify(f.path)} comes from another sweep: ${diff} differs from ${JSON.stringify(files[0].path)}`);
    }
    if (f.header.shard) {
      if (shardCount !== undefined && shardCount !== f.header.shard.count) {
        throw new UsageError(`${JSON.stringify(f.path)} is shard ${f.header.shard.index}/${f.header.shard.count}, but another input has ${shardCount} shards`);
      }
      shardCount = f.header.shard.count;
      shards.add(f.header.shard.index);
    }
    for (const r of f.records) {
      const prev = byKey.get(r.key);
      if (prev && stableStringify(prev) !== stableStringify(r)) {
        throw new UsageError(`key ${JSON.stringify(r.key)} has different results in two inputs (${JSON.stringify(f.path)})`);
      }
      byKey.set(r.key, r);
    }
  }
  const records = [...byKey.values()].sort((a, b) => a.index - b.index || (a.key < b.key ? -1 : 1));
  const header: ResultHeader = { ...first, shard: undefined, createdAt: new Date().toISOString() };
  delete header.shard;
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, [header, ...records].map((r) => JSON.stringify(r)).join('\n') + '\n');
  renameSync(tmp, out);
  const missing: number[] = [];
  if (shardCount !== undefined) for (let i = 0; i < shardCount; i++) if (!shards.has(i)) missing.push(i);
  return { files: files.length, records: records.length, shards: [...shards].sort((a, b) => a - b), missingShards: missing };
}

/** Records in canonical order, for comparisons (a resumed sweep equals an uninterrupted one). */
export function canonicalRecords(records: ResultRecord[]): ResultRecord[] {
  return [...records].sort((a, b) => a.index - b.index || (a.key < b.key ? -1 : 1));
}

/**
 * Human-facing copies of outputs: artifacts/<pipeline>/<stage>/<instance-label>/ for every
 * instance, and artifacts/<pipeline>/ itself for stages with `publish: true`. A manifest file
 * remembers what was copied, so a no-op run touches nothing.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalStore } from './cache/local-store.js';
import { guardWrite, writeAtomic } from './cache/local-store.js';
import type { RecordSummary } from './cache/run-record.js';
import type { Instance } from './dag.js';

const MANIFEST = '.recon-artifacts.json';

export class Artifacts {
  private readonly copied: Record<string, string>;
  private dirty = false;

  constructor(
    readonly dir: string,
    private readonly store: LocalStore,
  ) {
    try {
      this.copied = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Record<string, string>;
    } catch {
      this.copied = {};
    }
  }

  /** Directory of an instance's artifacts. */
  instanceDir(instance: Instance): string {
    return instance.label === '' ? join(this.dir, instance.stage.name) : join(this.dir, instance.stage.name, instance.label);
  }

  /** Copies the outputs of `record` unless the same outputs were copied before. */
  update(instance: Instance, record: RecordSummary): void {
    const slot = instance.label === '' ? instance.stage.name : `${instance.stage.name}/${instance.label}`;
    const version = `${record.manifestHash}${instance.stage.publish ? '+published' : ''}`;
    if (this.copied[slot] === version) return;
    const target = this.instanceDir(instance);
    rmSync(target, { recursive: true, force: true });
    for (const [path, entry] of Object.entries(record.outputs)) {
      this.copy(entry.hash, join(target, path));
      if (instance.stage.publish) this.copy(entry.hash, join(this.dir, path));
    }
    this.copied[slot] = version;
    this.dirty = true;
  }

  private copy(hash: string, target: string): void {
    guardWrite(target, () => {
      mkdirSync(dirname(target), { recursive: true });
      rmSync(target, { force: true });
      copyFileSync(this.store.objectPath(hash), target);
      chmodSync(target, 0o644);
    });
  }

  /**
   * Writes the manifest if anything was copied. Slots are sorted, because instances finish in a
   * different order at each --jobs and the file must not depend on it.
   */
  save(): void {
    if (!this.dirty) return;
    const sorted: Record<string, string> = {};
    for (const slot of Object.keys(this.copied).sort()) sorted[slot] = this.copied[slot];
    writeAtomic(join(this.dir, MANIFEST), JSON.stringify(sorted, null, 1));
    this.dirty = false;
  }
}

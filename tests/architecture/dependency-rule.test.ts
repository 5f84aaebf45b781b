import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

const importsOf = (source: string) =>
  [...source.matchAll(/(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

const forbiddenPackages =
  /^(@line\/|@slack\/|drizzle-orm|drizzle-kit|fastify|node-cron|postgres$|@electric-sql\/|pino)/;

describe('dependency rule (shared/STYLE.md)', () => {
  it('keeps domain rules and use cases free of SDKs, the ORM, adapters, db and jobs', async () => {
    const offenders: string[] = [];
    for (const file of [...(await sourceFiles('src/domain')), ...(await sourceFiles('src/use-cases'))]) {
      for (const spec of importsOf(await readFile(file, 'utf8'))) {
        const escapesToEdges = /^(\.\.\/)+(adapters|db|jobs)\//.test(spec);
        if (forbiddenPackages.test(spec) || escapesToEdges)
          offenders.push(`${relative(root, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the domain pure: no clock, no environment, no I/O modules', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles('src/domain')) {
      const source = await readFile(file, 'utf8');
      if (/new Date\(\)|Date\.now\(\)|process\.env|from ['"]node:/.test(source))
        offenders.push(relative(root, file));
    }
    expect(offenders).toEqual([]);
  });

  it('lets only db/ import drizzle', async () => {
    const offenders: string[] = [];
    for (const dir of ['src', 'adapters', 'jobs']) {
      for (const file of await sourceFiles(dir).catch(() => [])) {
        if (importsOf(await readFile(file, 'utf8')).some((spec) => spec.startsWith('drizzle-orm'))) {
          offenders.push(relative(root, file));
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
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

/**
 * The modules a file needs when it runs. `import type` and `export type` vanish when types are
 * stripped; every other import of a module loads it, even one that names only types
 * (`import { type A }`: with verbatimModuleSyntax the declaration stays). Dynamic `import()` is
 * left out: it loads later, not while the importing module is being evaluated.
 */
function runtimeImportsOf(file: string, source: string): string[] {
  const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.Latest);
  const specs: string[] = [];
  for (const statement of parsed.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specs.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier) {
      specs.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specs
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(root, resolve(dirname(file), spec)));
}

/** One cycle per strongly connected component of the graph (Tarjan), each written `a -> b -> a`. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member !== undefined) component.push(member);
    } while (member !== undefined && member !== node);
    components.push(component);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components
    .filter(
      ([first, ...rest]) => rest.length > 0 || (first !== undefined && graph.get(first)?.includes(first)),
    )
    .map((component) => shortestCycle(graph, new Set(component)))
    .sort();
}

/** The shortest way from the component's first file back to itself, staying inside the component. */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, component: Set<string>): string {
  const start = [...component].sort()[0] ?? '';
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] ?? '';
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === start) {
        const path = [start];
        for (let at = cameFrom.get(start); at !== undefined && at !== start; at = cameFrom.get(at))
          path.push(at);
        return [...path, start].reverse().join(' -> ');
      }
      queue.push(next);
    }
  }
  return start;
}

describe('no runtime import cycles', () => {
  it('finds a cycle in a small graph and names its files in import order', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual(['a.ts -> b.ts -> c.ts -> a.ts', 'd.ts -> d.ts']);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('counts imports that load a module and skips type-only ones', () => {
    const file = join(root, 'db', 'example.ts');
    const source = [
      "import type { A } from './a.ts';",
      "import { type B } from './b.ts';",
      "import { c } from './c.ts';",
      "export type { D } from './d.ts';",
      "export { e } from './e.ts';",
      "import './f.ts';",
      "import { z } from 'zod';",
      "const g = () => import('./g.ts');",
    ].join('\n');
    expect(runtimeImportsOf(file, source)).toEqual(['db/b.ts', 'db/c.ts', 'db/e.ts', 'db/f.ts']);
  });

  it('keeps src, adapters, db and jobs free of runtime import cycles', async () => {
    const graph = new Map<string, string[]>();
    for (const dir of ['src', 'adapters', 'db', 'jobs']) {
      for (const file of await sourceFiles(dir)) {
        graph.set(relative(root, file), runtimeImportsOf(file, await readFile(file, 'utf8')));
      }
    }
    expect(graph.get('db/store.ts')).toContain('db/repositories/lead-repository.ts');
    expect(importCycles(graph)).toEqual([]);
  });
});

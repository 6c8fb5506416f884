#!/usr/bin/env node
/**
 * The dependency graph between the top-level folders of src/ (a feature imports another's files),
 * its loops, and the places where src/ reaches outside itself (test/ fixtures, say). A loop
 * between folders means neither can be understood or changed alone; test/ is not in the image.
 * Run by the tests (test/folder-graph.e2e-spec.ts); `node scripts/folder-graph.js` prints it.
 */
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

/** Relative specifiers of `import … from`, `import '…'`, `import(…)`, `require(…)` and `export … from`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]*)['"]/g;
/** A path built to climb out of src/ into test/: join(__dirname, '..', …, 'test', …). */
const PATH_INTO_TEST = /join\([^)]*'\.\.'[^)]*'test'/;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The top-level folder of a path under src/, or '.' for a file directly in src/. */
const folderOf = (srcDir, file) => {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? parts[0] : '.';
};

/**
 * @returns {{ edges: Map<string, Map<string, string[]>>, outside: string[] }} for each folder,
 * the folders it imports with the importing lines; and every reach outside src/.
 */
function folderGraph(srcDir) {
  const edges = new Map();
  const outside = [];
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const from = folderOf(srcDir, file);
    const where = relative(srcDir, file);
    if (PATH_INTO_TEST.test(text)) outside.push(`${where} builds a path into test/`);
    for (const [, specifier] of text.matchAll(SPECIFIER)) {
      const target = resolve(dirname(file), specifier);
      if (relative(srcDir, target).startsWith('..')) {
        outside.push(`${where} imports ${specifier}`);
        continue;
      }
      const to = folderOf(srcDir, target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const targets = edges.get(from);
      targets.set(to, [...(targets.get(to) ?? []), `${where} -> ${specifier}`]);
    }
  }
  return { edges, outside };
}

/** The loops of a graph: its strongly connected components of more than one node (Tarjan). */
function loops(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets.keys()])]);
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of edges.get(node)?.keys() ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** A loop as the imports that make it: for each edge inside it, one importing line. */
function describeLoop(edges, component) {
  const members = new Set(component);
  const lines = [];
  for (const from of component) {
    for (const [to, imports] of edges.get(from) ?? []) {
      if (members.has(to)) lines.push(`  ${from} -> ${to} (${imports[0]}${imports.length > 1 ? `, and ${imports.length - 1} more` : ''})`);
    }
  }
  return `${component.join(' <-> ')}:\n${lines.join('\n')}`;
}

module.exports = { folderGraph, loops, describeLoop };

if (require.main === module) {
  const srcDir = join(__dirname, '..', 'src');
  const { edges, outside } = folderGraph(srcDir);
  for (const [from, targets] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${from} -> ${[...targets.keys()].sort().join(', ')}`);
  }
  const found = loops(edges);
  for (const component of found) console.error(`loop: ${describeLoop(edges, component)}`);
  for (const line of outside) console.error(`outside src/: ${line}`);
  if (found.length === 0 && outside.length === 0) console.log('no loop between the folders of src/; nothing outside src/ imported');
  else process.exitCode = 1;
}

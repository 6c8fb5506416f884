#!/usr/bin/env node
/**
 * Builds the service (a clean `nest build`: no output of a deleted source, a migration say,
 * survives) and records a hash of what it built from in dist/.source-hash: every file under
 * src/ and the compiler settings.
 *
 *   node scripts/build.js               build
 *   node scripts/build.js --if-changed  build only when the sources changed since the last build
 *                                       (`npm start`, the tests, benchmarks and tools: a restart
 *                                       with nothing changed costs a hash of the sources, ~20 ms)
 *   node scripts/build.js --check       build nothing; exit 1 when a build is due
 */
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const HASH_FILE = join(DIST, '.source-hash');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

/** The file itself, or every file under a folder; nothing when it does not exist. */
function filesAt(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  const entries = readdirSync(path, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** One hash over the path and content of every input file, in a stable order. */
function sourceHash() {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap((input) => filesAt(join(ROOT, input))).map((file) => relative(ROOT, file));
  for (const file of files.sort()) hash.update(file).update('\0').update(readFileSync(join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

function builtHash() {
  return existsSync(HASH_FILE) && existsSync(join(DIST, 'main.js')) ? readFileSync(HASH_FILE, 'utf8').trim() : null;
}

function build() {
  // Hashed before building: a source changed during the build makes the next check build again.
  const hash = sourceHash();
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(HASH_FILE, `${hash}\n`);
}

const mode = process.argv[2];
try {
  if (mode === '--check') {
    const due = builtHash() !== sourceHash();
    if (due) console.error('dist/ does not match the sources: run npm run build');
    process.exit(due ? 1 : 0);
  } else if (mode === '--if-changed') {
    const built = builtHash();
    if (built !== sourceHash()) {
      console.error(built === null ? 'building (first start)' : 'building: the sources changed since the last build');
      build();
    }
  } else {
    build();
  }
} catch (error) {
  console.error(`the build failed${error.status ? '' : `: ${error.message}`}`);
  process.exit(1);
}

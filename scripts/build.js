#!/usr/bin/env node
/**
 * Builds the service (a clean `nest build` into dist/: no output of a deleted source, a
 * migration say, survives) and the console (`vite build` of web/ into web/dist/), and records
 * in each output folder a hash of the sources it was built from (.source-hash).
 *
 *   node scripts/build.js               build both
 *   node scripts/build.js --if-changed  build only what changed since its last build (`npm start`,
 *                                       the tests, benchmarks and tools: a restart with nothing
 *                                       changed costs a hash of the sources, a few ms)
 *   node scripts/build.js --check       build nothing; exit 1 when a build is due
 */
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
// Always a production build: a build started by the tests (NODE_ENV=test) must not leave a development build of the console behind.
const run = (command, args) =>
  execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });

const TARGETS = [
  {
    name: 'the service',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'],
    output: 'dist',
    product: 'dist/main.js',
    build: () => run(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build']),
  },
  {
    name: 'the console',
    inputs: ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'web/package.json'],
    output: 'web/dist',
    product: 'web/dist/index.html',
    build: () => run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build', '--workspace=web']),
  },
];

/** The file itself, or every file under a folder; nothing when it does not exist. */
function filesAt(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  const entries = readdirSync(path, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** One hash over the path and content of every input file, in a stable order. */
function sourceHash(target) {
  const hash = createHash('sha256');
  const files = target.inputs.flatMap((input) => filesAt(join(ROOT, input))).map((file) => relative(ROOT, file));
  for (const file of files.sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

const hashFile = (target) => join(ROOT, target.output, '.source-hash');

function builtHash(target) {
  return existsSync(hashFile(target)) && existsSync(join(ROOT, target.product)) ? readFileSync(hashFile(target), 'utf8').trim() : null;
}

function build(target) {
  // Hashed before building: a source changed during the build makes the next check build again.
  const hash = sourceHash(target);
  target.build();
  writeFileSync(hashFile(target), `${hash}\n`);
}

const mode = process.argv[2];
try {
  for (const target of TARGETS) {
    if (mode === '--check') {
      if (builtHash(target) !== sourceHash(target)) {
        console.error(`${target.output}/ does not match the sources of ${target.name}: run npm run build`);
        process.exitCode = 1;
      }
    } else if (mode === '--if-changed') {
      const built = builtHash(target);
      if (built === sourceHash(target)) continue;
      console.error(`building ${target.name}${built === null ? '' : ': its sources changed since the last build'}`);
      build(target);
    } else {
      build(target);
    }
  }
} catch (error) {
  console.error(`the build failed${error.status ? '' : `: ${error.message}`}`);
  process.exit(1);
}

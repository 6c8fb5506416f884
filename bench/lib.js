'use strict';
// What the benchmarks share: a throwaway database, the built service (node dist/main.js) as a
// child process, and a process's resident memory.
const { spawn } = require('node:child_process');
const { chmodSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..');
const MAIN_JS = join(ROOT, 'dist', 'main.js');

/**
 * A PostgreSQL server for a benchmark: a temporary database of its own on BENCH_DATABASE_URL, or
 * a fresh embedded server. `database(name)` creates one more database on it and returns its URL.
 */
async function benchServer(label) {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const created = [];
  const admin = async (work) => {
    const client = new Client({ connectionString: serverUrl ?? server.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  let server;
  let dataDir;
  if (!serverUrl) {
    const { EmbeddedPostgres } = require(join(ROOT, 'dist', 'database', 'embedded-postgres.js'));
    dataDir = mkdtempSync(join(tmpdir(), `se3-bench-${label}-`));
    chmodSync(dataDir, 0o755);
    server = await EmbeddedPostgres.start({ dataDir, port: 0, database: 'postgres' });
  }
  const base = new URL(serverUrl ?? server.url);
  return {
    /** A folder for the service's own files (its generated admin key), removed with the server. */
    dataDir: dataDir ?? mkdtempSync(join(tmpdir(), `se3-bench-${label}-`)),
    where: serverUrl ? `temporary databases on ${base.host}` : `an embedded PostgreSQL in ${dataDir}`,
    async database(name) {
      const full = `se3_bench_${name}_${process.pid}`;
      await admin((client) => client.query(`CREATE DATABASE ${full}`));
      created.push(full);
      const url = new URL(base);
      url.pathname = `/${full}`;
      return url.toString();
    },
    async close() {
      if (serverUrl) {
        for (const name of created) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        rmSync(this.dataDir, { recursive: true, force: true });
      } else {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Applies the service's migrations to a database (what the service does at start-up). */
async function migrate(url) {
  const { DataSource } = require('typeorm');
  const { typeOrmOptions } = require(join(ROOT, 'dist', 'database', 'typeorm-options.js'));
  const { runMigrations } = require(join(ROOT, 'dist', 'database', 'migration-runner.js'));
  const dataSource = await new DataSource(typeOrmOptions(url)).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Starts a Node.js program (the service by default) with only `env` (and PATH, HOME), and waits
 * until it prints "listening on HOST:PORT". BENCH_NODE_ARGS adds Node options (e.g. --cpu-prof);
 * `options.nodeArgs` adds more, and `options.ipc` opens an IPC channel to the child.
 */
function startProcess(env, script = MAIN_JS, options = {}) {
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, ...(options.nodeArgs ?? []), script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  let output = '';
  return new Promise((resolve, reject) => {
    const listening = (chunk) => {
      output += chunk;
      const match = /listening on \S+:(\d+)/.exec(output);
      if (!match) return;
      // From here on its output (the request log) is read and dropped.
      child.stdout.off('data', listening);
      child.stdout.resume();
      resolve({ child, exited, port: Number(match[1]), base: `http://127.0.0.1:${match[1]}` });
    };
    child.stdout.on('data', listening);
    void exited.then((code) => reject(new Error(`${script} exited (${code}) before listening: ${output}`)));
  });
}

async function stopProcess(started) {
  if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
  await started.exited;
}

/** Resident memory of a process, in bytes (Linux). */
function rssOf(pid) {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

module.exports = { benchServer, migrate, startProcess, stopProcess, rssOf, MAIN_JS };

'use strict';
// The raw baseline of `npm run bench`: the fastest honest receiver Node.js and pg make, to
// measure the service against. node:http and pg only, no framework, no validation, no logs,
// but the same durable work per event as the service: the same tables and indexes, images
// decoded (with their sha256 and type) and stored, the replay check, one statement (one
// transaction) per request, and the answer only after the commit.
//   DATABASE_URL=... PORT=0 node bench/baseline-server.js
const { createHash } = require('node:crypto');
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });

const sha256 = (data) => createHash('sha256').update(data).digest();
const sniff = (bytes) =>
  bytes.length === 0 ? null : bytes[0] === 0xff ? 'image/jpeg' : bytes[0] === 0x89 ? 'image/png' : 'application/octet-stream';
const HOOKS = { 1001: 'stranger.registration', 1002: 'gallery.update' };

function image(kind, text) {
  const prefix = text.startsWith('data:') ? text.slice(0, text.indexOf(',') + 1) : null;
  const bytes = Buffer.from(prefix ? text.slice(prefix.length) : text, 'base64');
  return { kind, bytes, prefix, sha: sha256(bytes), type: sniff(bytes) };
}

/** One INSERT ... RETURNING statement for every row of every event, linked by dedup key. */
function statement(events, receivedFrom) {
  const params = [];
  const p = (value, type) => `$${params.push(value)}::${type}`;
  const now = new Date();
  const rows = { event: [], ext: [], fiqa: [], image: [], hook: [] };
  const keys = [];
  const seen = new Set();
  for (const event of events) {
    const x = event.ext_data;
    const key = sha256(JSON.stringify([x.dev_sno, x.ep_id, event.timestamp, event.identity_id, event.score])).subarray(0, 16);
    keys.push(key.toString('hex'));
    if (seen.has(keys.at(-1))) continue;
    seen.add(keys.at(-1));
    const k = p(key, 'bytea');
    const personType = x.person_type ?? 1;
    rows.event.push(
      `(${k}, ${p(event.identity_id, 'text')}, ${p(event.identity_name, 'text')}, ${p(event.group_name, 'text')}, ` +
        `${p(event.timestamp, 'bigint')}, ${p(new Date(event.timestamp), 'timestamptz')}, ${p(event.score, 'float8')}, ` +
        `${p(event.want_action, 'varchar')}, NULL::jsonb, ${p(now, 'timestamptz')}, ${p(x.dev_sno, 'text')}, ` +
        `${p(x.ep_id, 'text')}, ${p(personType, 'int2')}, ${p(receivedFrom, 'inet')})`,
    );
    rows.ext.push(
      `(${k}, ${p(x.device_ip, 'text')}, ${p(x.ep_id, 'text')}, ${p(x.dev_sno, 'text')}, ${p(personType, 'int2')}, ` +
        `${p(x.person_type !== undefined, 'bool')}, ${p(x.device_type, 'text')}, NULL::jsonb)`,
    );
    const box = x.box_fiqa_info;
    const grab = x.grab_fiqa_info;
    rows.fiqa.push(
      `(${k}, 'grab', NULL::boolean, ${p(JSON.stringify(grab), 'jsonb')})`,
      `(${k}, 'box', ${p(box.fiqa_result ?? null, 'bool')}, ${p(JSON.stringify(box), 'jsonb')})`,
    );
    for (const [kind, text] of [
      ['reg_pic', event.reg_pic],
      ['spot_pic', x.spot_pic],
      ['recognize_face', x.recognize_face],
    ]) {
      if (typeof text !== 'string') continue;
      const decoded = image(kind, text);
      rows.image.push(
        `(${k}, ${p(kind, 'varchar')}, ${p(decoded.type, 'varchar')}, ${p(decoded.bytes.length, 'int4')}, ` +
          `${p(decoded.sha, 'bytea')}, ${p(decoded.bytes, 'bytea')}, ${p(decoded.prefix, 'text')})`,
      );
    }
    if (HOOKS[event.want_action]) {
      rows.hook.push(
        `(${k}, gen_random_uuid(), ${p(HOOKS[event.want_action], 'varchar')}, ${p(event.identity_id, 'text')}, '{}'::jsonb, ${p(now, 'timestamptz')})`,
      );
    }
  }
  const child = (table, columns, values) =>
    values.length === 0
      ? ''
      : `, ${table} AS (INSERT INTO "${table}" ("event_id", ${columns}) ` +
        `SELECT stored."id", ${columns
          .split(', ')
          .map((column) => `v.${column}`)
          .join(', ')} FROM (VALUES ${values.join(', ')}) ` +
        `AS v("dedup_key", ${columns}) JOIN stored USING ("dedup_key"))`;
  const sql =
    `WITH stored AS (INSERT INTO "history_event" ("dedup_key", "identity_id", "identity_name", "group_name", "timestamp_ms", ` +
    `"event_time", "score", "want_action", "extra_fields", "received_at", "dev_sno", "ep_id", "person_type", "received_from") ` +
    `VALUES ${rows.event.join(', ')} ON CONFLICT ("dedup_key") DO NOTHING RETURNING "id", "dedup_key")` +
    child(
      'history_event_ext_data',
      '"device_ip", "ep_id", "dev_sno", "person_type", "person_type_sent", "device_type", "extra_fields"',
      rows.ext,
    ) +
    child('history_event_fiqa', '"source", "fiqa_result", "raw"', rows.fiqa) +
    child('history_event_image', '"kind", "content_type", "byte_size", "sha256", "data", "data_url_prefix"', rows.image) +
    child('hook', '"id", "type", "ordering_key", "payload", "created_at"', rows.hook) +
    ` SELECT "id", "dedup_key" FROM stored`;
  return { sql, params, keys };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  // store() answers every error itself (500): the promise it returns never rejects.
  req.on('end', () => void store(req, res, chunks));
});

/** Stores one request's events with one statement and answers like the service; a failure is a 500. */
async function store(req, res, chunks) {
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const events = Array.isArray(body) ? body : [body];
    const { sql, params, keys } = statement(events, req.socket.remoteAddress);
    const { rows } = await pool.query(sql, params);
    const ids = new Map(rows.map((row) => [row.dedup_key.toString('hex'), row.id]));
    const answer = {
      status: 0,
      message: 'SUCCESS',
      data: { events: keys.map((key) => ({ id: ids.get(key) ?? null, result: ids.has(key) ? 'stored' : 'duplicate' })) },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error.message));
  }
}

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`baseline listening on ${address}:${port}`);
});
process.on('SIGTERM', () => {
  server.close(() => {
    pool.end().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
});

const autocannon = require('/work/main/node_modules/autocannon');
const { benchServer, startProcess, stopProcess } = require('/work/main/bench/lib');
const { PAYLOADS, timestamps } = require('/work/main/bench/payloads');
(async () => {
  const server = await benchServer('exp');
  const variants = process.argv.slice(3).map((path) => [path, path]);
  const payload = PAYLOADS[process.argv[2] || 'single60k'](); const next = timestamps();
  const results = {};
  for (let round = 0; round < 3; round++) for (const [name, main] of variants) {
    const db = await server.database('v' + round + Math.random().toString(36).slice(2, 6));
    const svc = await startProcess({ DATABASE_URL: db, DATA_DIR: server.dataDir }, main);
    const run = (d) => new Promise((res, rej) => autocannon({ url: svc.base + '/EventServer/api/HistoryEvent', method: 'POST', connections: 16, duration: d, headers: { 'content-type': 'application/json' }, requests: [{ setupRequest: (r) => ({ ...r, body: payload.render(next) }) }] }, (e, r) => e ? rej(e) : res(r)));
    await run(2);
    const cpu = () => { const f = require('fs').readFileSync(`/proc/${svc.child.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
    const before = cpu(); const r = await run(6); const after = cpu();
    (results[name] ??= []).push(((after - before) / r.requests.total).toFixed(2) + 'ms@' + Math.round(r.requests.average));
    await stopProcess(svc);
  }
  console.log(results);
  await server.close();
})();

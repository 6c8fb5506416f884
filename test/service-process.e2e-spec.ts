import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { sampleEvent } from './support/samples';
import { postgresProcessesFor, runServiceToExit, startService } from './support/service-process';

describe('the service process (node dist/main.js)', () => {
  describe('without DATABASE_URL, on the embedded PostgreSQL', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'se3-service-'));
      await chmod(dataDir, 0o755);
    });

    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('starts on a fresh DATA_DIR, survives SIGKILL, keeps the data, and stops its database on SIGTERM', async () => {
      const event = sampleEvent('snapcam-stranger-1001.json');

      const first = await startService({ DATA_DIR: dataDir });
      expect(first.output()).toContain(`data: embedded PostgreSQL in ${join(dataDir, 'postgres')}`);
      expect(first.output()).toMatch(new RegExp(`box upload URL: http://\\S+:${first.port}${HISTORY_EVENT_PATH}`));
      const stored = await request(`http://127.0.0.1:${first.port}`).post(HISTORY_EVENT_PATH).send(event).expect(200);
      const id = stored.body.data.events[0].id;
      expect(stored.body.data.events[0].result).toBe('stored');

      // A crash leaves the embedded PostgreSQL running, holding the data folder.
      first.child.kill('SIGKILL');
      await first.exited;
      expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

      const second = await startService({ DATA_DIR: dataDir });
      const replay = await request(`http://127.0.0.1:${second.port}`).post(HISTORY_EVENT_PATH).send(event).expect(200);
      expect(replay.body.data.events[0]).toEqual({ id, result: 'duplicate' });

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(postgresProcessesFor(dataDir)).toEqual([]);
    }, 90_000);
  });

  it('refuses to start on a bad setting, naming it', async () => {
    const { code, output } = await runServiceToExit({ PORT: 'ninety', INVALID_EVENT_POLICY: 'drop' });
    expect(code).toBe(1);
    expect(output).toContain('PORT must be a whole number between 0 and 65535 (got "ninety")');
    expect(output).toContain('INVALID_EVENT_POLICY must be quarantine or reject (got "drop")');
  });
});

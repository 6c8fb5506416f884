import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import type { Server } from 'node:http';
import { AdminApi } from '../src/auth/admin-api-key.guard';
import { AdminJsonBody } from '../src/intake/body-intake.decorators';
import { closesWithin, headersOf, listenCounting, ListeningServer, openRaw, requestHead, statusOf } from './support/raw-http';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

class ProbeDto {
  @IsString()
  key: string;
}

/** An admin route that takes a body, as the console's `POST /api/session {key}` will. */
@Controller('api/probe')
@AdminApi()
class ProbeController {
  @Post()
  @HttpCode(200)
  @AdminJsonBody()
  echo(@Body() body: ProbeDto): ProbeDto {
    return body;
  }
}

describe('@AdminJsonBody(): an admin route that takes a body', () => {
  let target: TestApp;
  let server: ListeningServer;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${server.port}/api/probe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });

  beforeAll(async () => {
    target = await createTestApp({ ADMIN_BODY_LIMIT: '2kb' }, { controllers: [ProbeController] });
    server = await listenCounting(target.app.getHttpServer() as unknown as Server);
  });

  afterAll(async () => {
    await target.close();
  });

  it('reads and validates the body once the key is checked', async () => {
    const answer = await post(JSON.stringify({ key: 'abc' }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ key: 'abc' });
    const invalid = await post(JSON.stringify({ key: 42 }));
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: unknown }).errors).toEqual([{ field: 'key', message: 'key must be a string' }]);
  });

  it('refuses a body over ADMIN_BODY_LIMIT with 413, another content type with 415, and JSON that does not parse with 400', async () => {
    const large = await post(JSON.stringify({ key: 'k'.repeat(3000) }));
    expect(large.status).toBe(413);
    expect(((await large.json()) as { message: unknown }).message).toBe(
      'the request body is larger than the limit of 2048 bytes (ADMIN_BODY_LIMIT)',
    );
    const text = await post('key=abc', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { message: unknown }).message).toBe('Content-Type must be application/json');
    const broken = await post('{"key":');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: unknown }).message).toMatch(/^the request body is not valid JSON/);
  });

  it('answers 401 without the key, before reading the body, and closes the connection', async () => {
    const before = server.bytesRead();
    const connection = openRaw(server.port);
    await connection.write(requestHead('POST', '/api/probe', { 'Content-Type': 'application/json', 'Content-Length': 2000 }));
    await connection.write('{"key":"');
    const answer = await connection.waitFor(/\r\n\r\n/, 10_000);
    expect(statusOf(answer)).toBe(401);
    expect(headersOf(answer).connection).toBe('close');
    expect(await closesWithin(connection, 10_000)).toBe(true);
    expect(server.bytesRead() - before).toBeLessThan(1000);
  });
});

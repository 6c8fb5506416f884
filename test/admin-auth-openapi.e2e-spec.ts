import request from 'supertest';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

interface Route {
  method: string;
  path: string;
}

/** Every route the Express app serves, as registered (`/api/events/:id`). */
function registeredRoutes(target: TestApp): Route[] {
  const express = target.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method, path: layer.route!.path })),
    );
}

/** A concrete URL for a route pattern, with parameters that would otherwise be valid. */
const concrete = (path: string) => path.replace(':id', '1').replace(':kind', 'spot_pic').replace(':faceId', '1');

/** Signing in and out take no admin key: they open and close the console session (test/console-api.e2e-spec.ts). */
const SESSION_ROUTES = ['POST /api/session', 'DELETE /api/session'];
const isSessionRoute = (route: Route) => SESSION_ROUTES.includes(`${route.method.toUpperCase()} ${route.path}`);

describe('admin API authentication', () => {
  let target: TestApp;

  beforeAll(async () => {
    // Walking every route without a valid key is many failed authentications from one address.
    target = await createTestApp({ ADMIN_AUTH_FAILURES_PER_MINUTE: '10000' });
  });

  afterAll(async () => {
    await target.close();
  });

  const apiRoutes = () => registeredRoutes(target).filter((route) => route.path.startsWith('/api/'));
  const adminRoutes = () => apiRoutes().filter((route) => !isSessionRoute(route));

  it('finds the admin routes (so that the checks below walk all of them)', () => {
    expect(
      apiRoutes()
        .map((route) => `${route.method.toUpperCase()} ${route.path}`)
        .sort(),
    ).toEqual([
      'DELETE /api/session',
      'GET /api/conflicts',
      'GET /api/conflicts/:id',
      'GET /api/devices',
      'GET /api/events',
      'GET /api/events/:id',
      'GET /api/events/:id/images/:kind',
      'GET /api/events/:id/images/:kind/thumbnail',
      'GET /api/events/:id/original',
      'GET /api/events/summary',
      'GET /api/gallery/changes',
      'GET /api/gallery/faces/:faceId/thumbnail',
      'GET /api/gallery/registrations',
      'GET /api/gallery/summary',
      'GET /api/hooks',
      'GET /api/identities',
      'GET /api/identities/:id',
      'GET /api/identities/:id/face',
      'GET /api/identities/:id/face/thumbnail',
      'GET /api/live',
      'GET /api/quarantine',
      'GET /api/quarantine/:id',
      'GET /api/session',
      'GET /api/thumbnails',
      'POST /api/hooks/:id/retry',
      'POST /api/quarantine/:id/replay',
      'POST /api/session',
    ]);
  });

  const attempts: [string, Record<string, string>][] = [
    ['without a key', {}],
    ['with a wrong key', { Authorization: 'Bearer wrong-key-0123456789abcdef' }],
    ['with the key under another scheme', { Authorization: `Basic ${TEST_ADMIN_KEY}` }],
    ['with a key one character short', { Authorization: `Bearer ${TEST_ADMIN_KEY.slice(0, -1)}` }],
    ['with the bare key', { Authorization: TEST_ADMIN_KEY }],
    ['with junk after the key', { Authorization: `Bearer ${TEST_ADMIN_KEY} junk` }],
  ];

  it.each(attempts)('answers 401 on every route under /api %s', async (_name, headers) => {
    for (const route of adminRoutes()) {
      const call = request(target.app.getHttpServer())[route.method as 'get' | 'post'](concrete(route.path)).set(headers);
      const response = await call;
      expect({ route, status: response.status }).toEqual({ route, status: 401 });
      expect(response.body).toEqual({ status: 401, message: expect.stringContaining('admin API key'), errors: [] });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('lets the key through on every route (whatever the answer past the guard)', async () => {
    // The live stream never ends by itself: test/console-api.e2e-spec.ts reads it with the key.
    for (const route of adminRoutes().filter((candidate) => candidate.path !== '/api/live')) {
      const agent = request(target.app.getHttpServer());
      const method = route.method as 'get' | 'post';
      const response = await agent[method](concrete(route.path)).set('Authorization', `bearer ${TEST_ADMIN_KEY}`);
      expect({ route, unauthorized: response.status === 401 }).toEqual({ route, unauthorized: false });
    }
  });

  it('leaves the documentation open', async () => {
    expect((await request(target.app.getHttpServer()).get('/docs/').expect(200)).text).toContain('swagger');
    await request(target.app.getHttpServer()).get('/docs-json').expect(200);
  });
});

describe('OpenAPI document at /docs-json', () => {
  let target: TestApp;
  let document: any;

  beforeAll(async () => {
    target = await createTestApp();
    document = (await request(target.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await target.close();
  });

  const operations = () =>
    Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );

  it('declares the bearer and session schemes and requires one of them on every /api operation, and only there', () => {
    expect(document.components.securitySchemes['admin-api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes['console-session']).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'se3_session' });
    for (const { path, method, operation } of operations()) {
      const schemes = (operation.security ?? []).flatMap((entry: object) => Object.keys(entry)).sort();
      const admin = path.startsWith('/api/') && !SESSION_ROUTES.includes(`${method.toUpperCase()} ${path}`);
      expect({ path, method, schemes }).toEqual({ path, method, schemes: admin ? ['admin-api-key', 'console-session'] : [] });
      if (admin) expect(operation.responses['401']).toBeDefined();
    }
  });

  it('documents every route, the upload included', () => {
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(documented).toEqual(
      expect.arrayContaining([
        'POST /EventServer/api/HistoryEvent',
        'GET /api/events',
        'GET /api/events/summary',
        'GET /api/events/{id}',
        'GET /api/events/{id}/original',
        'GET /api/events/{id}/images/{kind}',
        'GET /api/devices',
        'GET /api/quarantine',
        'GET /api/quarantine/{id}',
        'POST /api/quarantine/{id}/replay',
        'GET /api/conflicts',
        'GET /api/conflicts/{id}',
        'GET /api/hooks',
        'POST /api/hooks/{id}/retry',
        'GET /api/identities',
        'GET /api/identities/{id}',
        'GET /api/identities/{id}/face',
        'GET /api/gallery/changes',
        'GET /api/gallery/registrations',
        'GET /api/gallery/summary',
        'GET /api/events/{id}/images/{kind}/thumbnail',
        'GET /api/identities/{id}/face/thumbnail',
        'GET /api/gallery/faces/{faceId}/thumbnail',
        'GET /api/live',
        'GET /api/thumbnails',
        'POST /api/session',
        'GET /api/session',
        'DELETE /api/session',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ]),
    );
  });

  it('describes every operation, parameter and response', () => {
    for (const { path, method, operation } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, summary: typeof operation.summary }).toEqual({ where, summary: 'string' });
      for (const parameter of operation.parameters ?? []) {
        expect({ where, parameter: parameter.name, description: Boolean(parameter.description) }).toEqual({
          where,
          parameter: parameter.name,
          description: true,
        });
      }
      const responses = Object.entries(operation.responses as Record<string, { description: string }>);
      expect(responses.some(([status]) => status.startsWith('2'))).toBe(true);
      for (const [status, response] of responses) {
        expect({ where, status, description: Boolean(response.description) }).toEqual({ where, status, description: true });
      }
    }
  });

  it('describes the upload body and the event filters from the DTOs', () => {
    const upload = document.paths['/EventServer/api/HistoryEvent'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(
      expect.arrayContaining(['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded']),
    );
    expect(document.components.schemas.HistoryEventDto.properties.ext_data).toBeDefined();
    const filters = document.paths['/api/events'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(filters).toEqual(
      expect.arrayContaining([
        'from',
        'to',
        'dev_sno',
        'ep_id',
        'device_ip',
        'device_type',
        'identity_id',
        'identity_name',
        'group_name',
        'person_type',
        'want_action',
        'score_min',
        'score_max',
        'fiqa_result',
        'has_image',
        'order',
        'limit',
        'cursor',
        'count',
      ]),
    );
  });
});

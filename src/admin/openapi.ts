import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_API_SECURITY, CONSOLE_SESSION_SECURITY } from '../auth/admin-api-key.guard';
import { SESSION_COOKIE } from '../auth/session/session-cookie';

export const OPENAPI_UI_PATH = 'docs';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json, generated from the controllers
 * and DTOs. Open to all: the document describes the API, the data stays behind the key.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('se3-event-server')
    .setDescription(
      'Receives the HistoryEvent uploads of SE3 AI mini boxes and serves the event history to admins. ' +
        'Everything under /api needs `Authorization: Bearer <admin API key>` (ADMIN_API_KEYS, or the key ' +
        'generated at first start in DATA_DIR/admin-api-key), or the console session cookie (POST /api/session). Errors always have the shape ' +
        '{"status", "message", "errors": [{"field", "message"}]}.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An admin API key' }, ADMIN_API_SECURITY)
    .addCookieAuth(
      SESSION_COOKIE,
      { type: 'apiKey', in: 'cookie', description: 'The console session (POST /api/session)' },
      CONSOLE_SESSION_SECURITY,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_UI_PATH}-json` });
}

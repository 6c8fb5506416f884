import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminApi } from '../admin-api-key.guard';
import { principalOf } from '../admin-principal';
import { AdminRateLimits } from '../admin-rate-limits';
import { clientAddress } from '../../common/client-address';
import { ErrorResponseDto } from '../../common/error-response';
import { AdminJsonBody } from '../../intake/body-intake.decorators';
import { CreateSessionDto, mapSession, SessionDto } from './dto/session.dto';
import { clearedSessionCookie, CONSOLE_REQUEST_HEADER, sessionCookie, sessionTokenOf } from './session-cookie';
import { SessionService } from './session.service';

@ApiTags('session')
@Controller('api/session')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly limits: AdminRateLimits,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @AdminJsonBody()
  @ApiOperation({
    summary: 'Sign in to the console: exchange an admin API key for a session cookie',
    description:
      'Sets `se3_session`, HttpOnly, SameSite=Strict, Path=/api, Secure over HTTPS, for CONSOLE_SESSION_TTL. The admin API then accepts the cookie instead of the bearer key; ' +
      `requests that change something must also carry the \`${CONSOLE_REQUEST_HEADER}\` header. The key itself stays with the caller.`,
  })
  @ApiBody({ type: CreateSessionDto, description: 'JSON, at most ADMIN_BODY_LIMIT' })
  @ApiOkResponse({ type: SessionDto, description: 'Signed in; the cookie is in Set-Cookie' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The body is not JSON or has no key' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'The key is not an admin API key' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'The body is larger than ADMIN_BODY_LIMIT' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'The body is not application/json' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'More than ADMIN_AUTH_FAILURES_PER_MINUTE failed sign-ins from this address, or ADMIN_RATE_LIMIT_PER_MINUTE requests with this key',
  })
  async signIn(@Body() body: CreateSessionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    const session = await this.sessions.open(body.key, clientAddress(req), req.headers['user-agent']);
    if (!session) {
      await this.limits.fail(clientAddress(req), res);
      throw new UnauthorizedException('the key is not an admin API key');
    }
    await this.limits.spend({ keyId: session.keyId, via: 'session' }, 'requests', res);
    res.setHeader('Set-Cookie', sessionCookie(session.token, this.sessions.lifetimeMs, req.secure));
    res.setHeader('Cache-Control', 'no-store');
    return mapSession({ keyId: session.keyId, via: 'session' }, session.expiresAt);
  }

  @Get()
  @AdminApi()
  @ApiOperation({ summary: 'Who is signed in', description: 'The key in use (its fingerprint) and, for a console session, when it ends.' })
  @ApiOkResponse({ type: SessionDto, description: 'Signed in' })
  async current(@Req() req: Request): Promise<SessionDto> {
    const principal = principalOf(req)!;
    const expiresAt = principal.sessionId ? await this.sessions.expiryOf(principal.sessionId) : null;
    return mapSession(principal, expiresAt);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Sign out of the console',
    description: `Ends the session of the cookie (at once on this instance, within 5 s on the others) and removes the cookie. Needs the \`${CONSOLE_REQUEST_HEADER}\` header.`,
  })
  @ApiHeader({ name: CONSOLE_REQUEST_HEADER, required: true, description: 'Any value: proves the request is not a cross-site form' })
  @ApiNoContentResponse({ description: 'Signed out (also when the session had already ended)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: `Without the ${CONSOLE_REQUEST_HEADER} header` })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = sessionTokenOf(req);
    if (token && !req.headers[CONSOLE_REQUEST_HEADER]) {
      throw new ForbiddenException(`signing out needs the ${CONSOLE_REQUEST_HEADER} header`);
    }
    if (token) await this.sessions.close(token);
    res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
  }
}

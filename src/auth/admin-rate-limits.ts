import { ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Response } from 'express';
import { AdminSettings } from '../config/admin.settings';
import type { AdminPrincipal } from './admin-principal';

const MINUTE_MS = 60_000;
const IMAGE_ROUTE = 'se3:image-route';

/**
 * Marks a route that serves image bytes: its requests count against the caller's image budget
 * (ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE) instead of the request budget, since one console page
 * shows a hundred faces.
 */
export const ImageRoute = () => SetMetadata(IMAGE_ROUTE, true);

export const isImageRoute = (context: ExecutionContext): boolean => Reflect.getMetadata(IMAGE_ROUTE, context.getHandler()) === true;

/**
 * The admin API's budgets per minute, in this process's memory: requests and image requests per
 * caller (counted by the authenticated key, whether it came as a bearer token or a console
 * session), and failed authentications per client address. They are apart so that clients
 * without a valid credential, even behind the same address as an admin, cannot use up the
 * admin's budget.
 */
@Injectable()
export class AdminRateLimits {
  private readonly perCaller: Record<'requests' | 'images', number>;
  private readonly failuresPerAddress: number;

  constructor(
    private readonly storage: ThrottlerStorageService,
    settings: AdminSettings,
  ) {
    this.perCaller = {
      requests: settings.rateLimitPerMinute,
      images: settings.imageRateLimitPerMinute,
    };
    this.failuresPerAddress = settings.authFailuresPerMinute;
  }

  /** Counts a request of an authenticated caller against one of its budgets; 429 past it. */
  async spend(principal: AdminPrincipal, budget: 'requests' | 'images', res: Response): Promise<void> {
    await this.count(`${budget}:${principal.keyId}`, this.perCaller[budget], res, 'too many requests to the admin API: retry in a minute');
  }

  /** Counts a request without a valid credential from `address`; 429 past the address's budget. */
  async fail(address: string | null, res: Response): Promise<void> {
    await this.count(
      `failures:${address ?? 'unknown'}`,
      this.failuresPerAddress,
      res,
      'too many failed authentications from this address: retry in a minute',
    );
  }

  private async count(key: string, limit: number, res: Response, message: string): Promise<void> {
    const record = await this.storage.increment(key, MINUTE_MS, limit, 0, 'admin');
    if (!record.isBlocked) return;
    res.setHeader('Retry-After', String(Math.max(1, record.timeToBlockExpire)));
    throw new HttpException(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}

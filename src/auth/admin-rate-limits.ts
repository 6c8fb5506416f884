import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Response } from 'express';
import { EnvironmentVariables } from '../config/environment';
import type { AdminPrincipal } from './admin-principal';

const MINUTE_MS = 60_000;

/**
 * The admin API's two budgets per minute, in this process's memory: requests per caller
 * (ADMIN_RATE_LIMIT_PER_MINUTE, counted by the authenticated principal), and failed
 * authentications per client address (ADMIN_AUTH_FAILURES_PER_MINUTE). They are apart so that
 * clients without a valid credential, even behind the same address as an admin, cannot use up
 * the admin's budget.
 */
@Injectable()
export class AdminRateLimits {
  private readonly perCaller: number;
  private readonly failuresPerAddress: number;

  constructor(
    private readonly storage: ThrottlerStorageService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.perCaller = config.get('ADMIN_RATE_LIMIT_PER_MINUTE', { infer: true });
    this.failuresPerAddress = config.get('ADMIN_AUTH_FAILURES_PER_MINUTE', { infer: true });
  }

  /** Counts a request of an authenticated caller; 429 past its budget. */
  async spend(principal: AdminPrincipal, res: Response): Promise<void> {
    await this.count(`caller:${principal.id}`, this.perCaller, res, 'too many requests to the admin API: retry in a minute');
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

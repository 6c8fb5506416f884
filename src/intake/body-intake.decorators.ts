import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { finalize, Observable } from 'rxjs';
import { BodyIntake, UploadIntakeOptions } from './body-intake.service';
import { isUploadCleared } from './upload-clearance';

const UPLOAD_INTAKE_OPTIONS = Symbol('uploadIntakeOptions');

/**
 * Reads an upload body once the ingest gate has checked the client (address, token): the body
 * is read within the limits and deadlines (BODY_LIMIT, BODY_READ_TIMEOUT_MS, the shared budget),
 * then an INGEST_CONCURRENCY slot is taken for parsing, validation and storage, and given back
 * when the handler settles (not when the client goes away). A slow sender holds no slot.
 */
@Injectable()
export class UploadIntakeInterceptor implements NestInterceptor {
  constructor(
    private readonly intake: BodyIntake,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (!isUploadCleared(req)) {
      // A route marked @UploadIntake() that the ingest gate does not serve: its body would be read unchecked.
      throw new Error(`${req.method} ${req.path} reads an upload body, but the ingest gate does not serve this path`);
    }
    const options = this.reflector.get<UploadIntakeOptions>(UPLOAD_INTAKE_OPTIONS, context.getHandler());
    const body = await this.intake.readUpload(req, res, options);
    let giveSlot: () => void;
    try {
      giveSlot = await this.intake.takeUploadSlot(res);
    } catch (error) {
      body.release();
      throw error;
    }
    const done = () => {
      giveSlot();
      body.release();
    };
    try {
      await body.parseInto(req);
    } catch (error) {
      done();
      throw error;
    }
    return next.handle().pipe(finalize(done));
  }
}

/**
 * Marks a handler of an upload route. Its path must be one the ingest gate serves (see
 * `uploadRoutes`): the gate checks the client, then this reads the body.
 */
export const UploadIntake = (options: Partial<UploadIntakeOptions> = {}) =>
  applyDecorators(
    SetMetadata(UPLOAD_INTAKE_OPTIONS, { maxFiles: 0, maxFields: 100, ...options } satisfies UploadIntakeOptions),
    UseInterceptors(UploadIntakeInterceptor),
  );

/** Reads the small JSON body of an admin route after its guards (the admin key). */
@Injectable()
export class AdminJsonBodyInterceptor implements NestInterceptor {
  constructor(private readonly intake: BodyIntake) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const body = await this.intake.readAdminJson(req, http.getResponse<Response>());
    try {
      await body.parseInto(req);
    } catch (error) {
      body.release();
      throw error;
    }
    return next.handle().pipe(finalize(() => body.release()));
  }
}

/**
 * Marks an admin route that takes a JSON body (then read with `@Body()` as usual). No route
 * reads a body unless marked: the body is read after the guards (the admin key, the rate
 * limit), at most ADMIN_BODY_LIMIT, within BODY_READ_TIMEOUT_MS; without the key it is never read.
 */
export const AdminJsonBody = () => UseInterceptors(AdminJsonBodyInterceptor);

import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { EnvironmentVariables } from '../config/environment';
import { IMAGE_KINDS } from './dto/history-event.dto';
import { HISTORY_EVENT_PATH } from './history-event.controller';

/**
 * The multipart/form-data body of an upload (the box's form-data option), parsed in memory:
 * text fields into `req.body`, file parts (the images) into `req.files`. It runs for multipart
 * uploads only, in front of the route like the JSON and urlencoded parsers, so that JSON uploads
 * pay nothing for it (a Nest file interceptor on the route cost every upload ~0.3 ms of CPU).
 */
export function multipartUploads(settings: EnvironmentVariables) {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: {
      fieldSize: settings.BODY_LIMIT,
      fileSize: settings.IMAGE_MAX_BYTES,
      files: IMAGE_KINDS.length,
      fields: 100,
      parts: 100 + IMAGE_KINDS.length,
      fieldNestingDepth: settings.JSON_MAX_DEPTH,
      fieldArrayIndexLimit: 1000,
    } as multer.Options['limits'],
  }).any();
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== HISTORY_EVENT_PATH || !req.is('multipart/form-data')) return next();
    parse(req, res, (error?: unknown) => next(error ? multipartError(error as MulterError) : undefined));
  };
}

interface MulterError extends Error {
  code?: string;
  field?: string;
}

/** multer's and busboy's errors as answers (413 for a part over its limit, 415, else 400), the cause kept for the filter. */
function multipartError(error: MulterError): HttpException {
  const options = { cause: error };
  if (error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE') {
    return new PayloadTooLargeException(error.message, options);
  }
  if (error.message?.startsWith('Unsupported content type')) {
    return new UnsupportedMediaTypeException('Unsupported content type', options);
  }
  const field = error.field ? ` - ${error.field}` : '';
  return new BadRequestException(`the multipart body cannot be read: ${error.message}${field}`, options);
}

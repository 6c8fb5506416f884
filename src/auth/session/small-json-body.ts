import { HttpException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { FieldErrorsException } from '../../common/error-response';

export interface SmallBodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Reads a small JSON body (a sign-in), bounded in size and time, for the one route that calls it,
 * after its guards. A body an app-wide parser has already read is taken as parsed.
 */
export async function readSmallJsonBody(req: Request, limits: SmallBodyLimits): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaTypeException('the body must be JSON (Content-Type: application/json)');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge(limits);
  if (req.readableEnded) return req.body;
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish(tooLarge(limits));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(new HttpException(`the body could not be read: ${error.message}`, HttpStatus.BAD_REQUEST));
    const timer = setTimeout(
      () => finish(new HttpException(`the body did not arrive within ${limits.timeoutMs} ms`, HttpStatus.REQUEST_TIMEOUT)),
      limits.timeoutMs,
    );
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
  if (text.trim() === '') throw new FieldErrorsException('the request body is empty: send a JSON object', []);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FieldErrorsException(`the request body is not valid JSON: ${(error as Error).message}`, []);
  }
}

const tooLarge = (limits: SmallBodyLimits) =>
  new PayloadTooLargeException(`the request body is larger than the limit of ${limits.maxBytes} bytes for this route`);

import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  RequestTimeoutException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { BodyBudget, BudgetHold } from './body-budget';

/** Where bytes of a body go once inflated: a parser fed as they arrive. */
export interface BodySink {
  /** Takes the next bytes; throws an HttpException to refuse the body (reading stops). */
  write(chunk: Buffer): void;
}

export interface BodyReadOptions {
  /** Largest body, on the wire and once inflated. */
  maxBytes: number;
  /** The setting of `maxBytes`, named in the 413. */
  limitName: string;
  /** Longest time from the start of reading to the last byte (BODY_READ_TIMEOUT_MS). */
  timeoutMs: number;
  /** Slowest rate accepted, over RATE_WINDOW_MS of reading (BODY_MIN_BYTES_PER_SECOND); 0: none. */
  minBytesPerSecond: number;
  /** Most a compressed body may inflate, as a multiple of its wire size past INFLATION_ALLOWANCE (BODY_MAX_INFLATION); 0: any. */
  maxInflation: number;
  budget: BodyBudget;
}

/** The rate is judged over windows this long, during which reading was not paused by the service itself. */
export const RATE_WINDOW_MS = 5_000;
/** What a compressed body may inflate to whatever its wire size: small bodies compress best. */
export const INFLATION_ALLOWANCE = 1024 * 1024;

const INFLATERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** A refusal: the client closed the connection before its body ended. Nobody reads the answer. */
export class ClientGoneException extends BadRequestException {
  constructor() {
    super('the client closed the connection before the request body ended');
  }
}

/**
 * Reads a request body into `sink`, bounded in every way, and resolves with the budget hold of
 * the bytes it keeps (to `release()` once the body is no longer needed):
 * - Content-Length over the limit, or a Content-Encoding other than gzip, deflate, br or
 *   identity: refused at once, nothing read (413, 415);
 * - the limit applies to the bytes on the wire and again to the bytes once inflated; inflating
 *   is a stream, stopped the moment it goes over (413), or past 1 MB, over `maxInflation` times
 *   the bytes received (413): what a body costs to process grows with its inflated size;
 * - the whole body must arrive within `timeoutMs`, at `minBytesPerSecond` at least (408);
 * - the bytes held count against the shared budget: past it, reading pauses (TCP
 *   backpressure) until other bodies give theirs back.
 * On a refusal, reading stops where it is: the rest of the body is never read, and the answer
 * closes the connection (see `closeUnreadBodies`). `Expect: 100-continue` is answered only here,
 * so a client that waits for it sends nothing to a route that refuses it first.
 */
export function readBody(req: Request, res: Response, options: BodyReadOptions, sink: BodySink): Promise<BudgetHold> {
  const makeInflater = inflaterFor(req);
  const declared = Number(req.headers['content-length']);
  if (declared > options.maxBytes) throw tooLarge(options);
  if (String(req.headers.expect).toLowerCase() === '100-continue') res.writeContinue();
  return new Promise<BudgetHold>((resolve, reject) => {
    const hold = options.budget.open();
    const inflater = makeInflater?.();
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;
    /** Why reading is paused by the service: waiting for budget, or for the inflater to drain. */
    const pausedFor = new Set<'budget' | 'inflater'>();
    let pausedThisWindow = false;
    let bytesThisWindow = 0;

    const deadline = setTimeout(
      () => fail(new RequestTimeoutException(`the request body did not arrive within ${options.timeoutMs} ms (BODY_READ_TIMEOUT_MS)`)),
      options.timeoutMs,
    );
    const rateCheck =
      options.minBytesPerSecond > 0
        ? setInterval(() => {
            const slow = !pausedThisWindow && pausedFor.size === 0 && bytesThisWindow < (options.minBytesPerSecond * RATE_WINDOW_MS) / 1000;
            if (slow) {
              fail(
                new RequestTimeoutException(
                  `the request body arrived slower than ${options.minBytesPerSecond} bytes per second (BODY_MIN_BYTES_PER_SECOND)`,
                ),
              );
            }
            bytesThisWindow = 0;
            pausedThisWindow = pausedFor.size > 0;
          }, RATE_WINDOW_MS)
        : undefined;

    // Waiting for budget stops both the socket and the inflater's output (which can grow a
    // thousandfold from what is buffered); a full inflater input stops the socket only.
    const pause = (reason: 'budget' | 'inflater') => {
      pausedFor.add(reason);
      pausedThisWindow = true;
      req.pause();
      if (reason === 'budget') inflater?.pause();
    };
    const resume = (reason: 'budget' | 'inflater') => {
      pausedFor.delete(reason);
      if (settled) return;
      if (!pausedFor.has('budget')) inflater?.resume();
      if (pausedFor.size === 0) req.resume();
    };

    const stop = () => {
      settled = true;
      clearTimeout(deadline);
      clearInterval(rateCheck);
      req.off('data', onWire);
      req.off('end', onWireEnd);
      req.off('aborted', onGone);
      req.off('close', onGone);
      req.off('error', onGone);
      // Not one more byte is read: the socket stays paused until the answer closes it.
      req.pause();
      if (inflater) {
        inflater.off('data', onBody);
        inflater.destroy();
      }
    };
    function fail(error: HttpException) {
      if (settled) return;
      stop();
      hold.release();
      reject(error);
    }
    const succeed = () => {
      if (settled) return;
      stop();
      hold.doneReading();
      resolve(hold);
    };

    function onBody(chunk: Buffer) {
      if (settled) return;
      bodyBytes += chunk.length;
      if (bodyBytes > options.maxBytes) return fail(tooLarge(options, inflater !== undefined));
      if (inflater && options.maxInflation > 0 && bodyBytes > Math.max(INFLATION_ALLOWANCE, options.maxInflation * wireBytes)) {
        return fail(
          new PayloadTooLargeException(
            `the request body inflates to more than ${options.maxInflation} times its compressed size (BODY_MAX_INFLATION): send it uncompressed`,
          ),
        );
      }
      try {
        sink.write(chunk);
      } catch (error) {
        return fail(error instanceof HttpException ? error : new BadRequestException('the request body cannot be read', { cause: error }));
      }
      if (!hold.take(chunk.length)) {
        pause('budget');
        hold.whenAvailable(() => resume('budget'));
      }
    }
    function onWire(chunk: Buffer) {
      if (settled) return;
      wireBytes += chunk.length;
      bytesThisWindow += chunk.length;
      if (wireBytes > options.maxBytes) return fail(tooLarge(options));
      if (!inflater) return onBody(chunk);
      if (!inflater.write(chunk)) {
        pause('inflater');
        inflater.once('drain', () => resume('inflater'));
      }
    }
    function onWireEnd() {
      if (inflater) inflater.end();
      else succeed();
    }
    function onGone() {
      if (!req.complete) fail(new ClientGoneException());
    }

    if (inflater) {
      inflater.on('data', onBody);
      inflater.once('end', succeed);
      inflater.on('error', (error: Error) =>
        fail(new BadRequestException(`the ${String(req.headers['content-encoding'])} body cannot be inflated: ${error.message}`)),
      );
    }
    req.on('data', onWire);
    req.once('end', onWireEnd);
    req.once('aborted', onGone);
    req.once('close', onGone);
    req.once('error', onGone);
  });
}

/** The inflater of the request's Content-Encoding; undefined for identity; 415 for any other. */
function inflaterFor(req: Request): (() => Transform) | undefined {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return undefined;
  const inflater = INFLATERS[encoding];
  if (!inflater) {
    throw new UnsupportedMediaTypeException('Content-Encoding must be gzip, deflate, br or identity (one of them, not a list)');
  }
  return inflater;
}

function tooLarge(options: BodyReadOptions, inflated = false): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `the request body is larger than the limit of ${options.maxBytes} bytes (${options.limitName})${inflated ? ' once inflated' : ''}`,
  );
}

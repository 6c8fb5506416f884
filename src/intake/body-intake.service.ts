import { Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Slots } from '../common/slots';
import { IntakeSettings } from '../config/intake.settings';
import { BodyBudget } from './body-budget';
import { JsonBody, MultipartBody, ParsableBody, UrlencodedBody, FormFile } from './body-parsers';
import { BodyReadOptions, ClientGoneException, readBody } from './body-reader';
import { JsonCostLimits } from './json-cost';

export const JSON_TYPES = ['application/json', 'application/*+json'];
const URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** What one kind of upload accepts besides the shared limits (a form is one event, its files the images). */
export interface UploadIntakeOptions {
  /** File parts a multipart upload may hold. */
  maxFiles: number;
  /** Text fields a form upload may hold. */
  maxFields: number;
}

/** A body read to its end and holding its bytes of the budget until `release()`. */
export interface ReadBody {
  /** Parses it into `req.body` (and the file parts, see `formFilesOf`). */
  parseInto(req: Request): Promise<void>;
  release(): void;
}

const FILES = Symbol('formFiles');
const UNDECODABLE = Symbol('undecodableBody');
type IntakeRequest = Request & { [FILES]?: FormFile[]; [UNDECODABLE]?: Buffer };

/** The file parts of a multipart upload, once parsed. */
export function formFilesOf(req: Request): FormFile[] {
  return (req as IntakeRequest)[FILES] ?? [];
}

/**
 * The bytes of a JSON body that is not valid UTF-8: decoding replaced some with U+FFFD, so the
 * parsed value is no longer what was sent; the bytes are kept with it (in quarantine).
 */
export function undecodableBodyOf(req: Request): Buffer | undefined {
  return (req as IntakeRequest)[UNDECODABLE];
}

/**
 * Reads request bodies for the routes that take one, once their guards have let them through
 * (see `@UploadIntake()` and `@AdminJsonBody()`): one reader for every content type, bounded by
 * the limits, deadlines and the shared budget of `readBody`. It also holds the upload
 * processing slots (INGEST_CONCURRENCY), taken once a body is read, not while it arrives.
 */
@Injectable()
export class BodyIntake {
  readonly budget: BodyBudget;
  private readonly slots: Slots;
  private readonly upload: BodyReadOptions;
  private readonly admin: BodyReadOptions;
  private readonly jsonLimits: JsonCostLimits;
  private readonly imageMaxBytes: number;
  private readonly maxDepth: number;

  constructor(settings: IntakeSettings) {
    this.budget = new BodyBudget(settings.bodyBudget);
    this.slots = new Slots(settings.concurrency);
    const deadlines = {
      timeoutMs: settings.bodyReadTimeoutMs,
      minBytesPerSecond: settings.bodyMinBytesPerSecond,
      maxInflation: settings.bodyMaxInflation,
      budget: this.budget,
    };
    this.upload = { ...deadlines, maxBytes: settings.bodyLimit, limitName: 'BODY_LIMIT' };
    this.admin = { ...deadlines, maxBytes: settings.adminBodyLimit, limitName: 'ADMIN_BODY_LIMIT' };
    this.maxDepth = settings.jsonMaxDepth;
    this.jsonLimits = { maxDepth: this.maxDepth, maxElements: settings.jsonMaxElements };
    this.imageMaxBytes = settings.imageMaxBytes;
  }

  /** What JSON text in a body (form fields holding JSON) may cost. */
  get jsonCostLimits(): JsonCostLimits {
    return this.jsonLimits;
  }

  /** An upload body: JSON, urlencoded or multipart (415 for anything else, nothing read). */
  async readUpload(req: Request, res: Response, options: UploadIntakeOptions): Promise<ReadBody> {
    if (req.is(JSON_TYPES)) {
      requireUtf8(req);
      const json = new JsonBody(this.jsonLimits);
      return read(req, res, this.upload, json, (body, value) => {
        body.body = value;
        (body as IntakeRequest)[UNDECODABLE] = json.undecodable;
      });
    }
    if (req.is(URLENCODED)) {
      requireUtf8(req);
      return read(req, res, this.upload, new UrlencodedBody(options.maxFields), (body, value) => (body.body = value));
    }
    if (req.is(MULTIPART)) {
      const form = new MultipartBody(req.headers, {
        maxFields: options.maxFields,
        maxFiles: options.maxFiles,
        maxFileBytes: this.imageMaxBytes,
        fileLimitName: 'IMAGE_MAX_BYTES',
        maxFieldBytes: this.upload.maxBytes,
        maxNesting: this.maxDepth,
      });
      return read(req, res, this.upload, form, (body, { fields, files }) => {
        body.body = fields;
        (body as IntakeRequest)[FILES] = files;
      });
    }
    throw new UnsupportedMediaTypeException(
      'Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data',
    );
  }

  /** A small JSON body of an admin route (ADMIN_BODY_LIMIT); 415 for another content type. */
  async readAdminJson(req: Request, res: Response): Promise<ReadBody> {
    if (!req.is(JSON_TYPES)) {
      if (!hasBody(req)) return { parseInto: () => Promise.resolve(), release: () => undefined };
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    requireUtf8(req);
    return read(req, res, this.admin, new JsonBody(this.jsonLimits), (body, value) => (body.body = value));
  }

  /**
   * Waits for an upload processing slot; resolves with the function that gives it back. A client
   * that goes away while it waits leaves the queue (no work is done for it). Once granted, the
   * slot is held until the caller gives it back, whatever the client does.
   */
  takeUploadSlot(res: Response): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let granted = false;
      let given = false;
      const give = () => {
        if (given) return;
        given = true;
        this.slots.give();
      };
      const onGone = () => {
        withdraw();
        reject(new ClientGoneException());
      };
      const withdraw = this.slots.take(() => {
        granted = true;
        res.off('close', onGone);
        resolve(give);
      });
      if (!granted) res.once('close', onGone);
    });
  }
}

async function read<T>(
  req: Request,
  res: Response,
  options: BodyReadOptions,
  sink: ParsableBody<T>,
  assign: (req: Request, value: T) => void,
): Promise<ReadBody> {
  const hold = await readBody(req, res, options, sink);
  return {
    parseInto: async (target) => assign(target, await sink.parse()),
    release: () => hold.release(),
  };
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}

/** JSON and urlencoded bodies are read as UTF-8: a body in another charset is refused before it is read. */
function requireUtf8(req: Request): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    throw new UnsupportedMediaTypeException(`unsupported charset "${charset.toUpperCase()}": send UTF-8`);
  }
}

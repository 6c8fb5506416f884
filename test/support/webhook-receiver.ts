import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The HTTP status the receiver answered with. */
  status: number;
}

/** Decides the answer to a request: an HTTP status, or 'hang' to never answer. */
export type WebhookAnswer = (request: { id: string; body: string; attempt: number }) => number | 'hang' | Promise<number>;

/**
 * A webhook receiver on 127.0.0.1 for the tests: records every request and answers as `answer`
 * says (`attempt` counts the requests carrying the same webhook-id, from 1).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  private readonly hanging = new Set<() => void>();

  constructor(public answer: WebhookAnswer = () => 204) {}

  async listen(port = 0): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A test's answer that rejects drops the connection (a network error for the dispatcher), not the test process.
      req.on('end', () => {
        this.respond(req, res, Buffer.concat(chunks).toString()).catch(() => res.destroy());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  private async respond(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const id = String(req.headers['webhook-id']);
    const attempt = this.received.filter((request) => request.headers['webhook-id'] === id).length + 1;
    const answer = this.answer({ id, body, attempt });
    const received: ReceivedWebhook = { headers: req.headers, body, status: 0 };
    this.received.push(received);
    if (answer === 'hang') {
      this.hanging.add(() => res.destroy());
      return;
    }
    const status = await answer;
    received.status = status;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  /** The requests that were answered 2xx, in arrival order. */
  accepted(): ReceivedWebhook[] {
    return this.received.filter((request) => request.status >= 200 && request.status < 300);
  }

  async close(): Promise<void> {
    for (const release of this.hanging) release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

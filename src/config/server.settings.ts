import { IntSetting, ListSetting, OneOfSetting, TextSetting } from './setting.decorators';

/** The HTTP server: where it listens, its connections and deadlines, browsers and proxies, its files. */
export class ServerSettings {
  @OneOfSetting('NODE_ENV', ['development', 'production', 'test'], { message: 'must be development, production or test' })
  nodeEnv: 'development' | 'production' | 'test' = 'production';

  @IntSetting('PORT', { min: 0, max: 65535 })
  port = 9528;

  @TextSetting('HOST')
  host = '0.0.0.0';

  /** The embedded PostgreSQL's cluster and password, the generated admin API key. */
  @TextSetting('DATA_DIR')
  dataDir = './data';

  /** Origins allowed to call the API from a browser; empty: CORS off. */
  @ListSetting('CORS_ORIGINS', {
    pattern: /^https?:\/\/[^\s/]+$/,
    message: 'must be a comma-separated list of origins such as https://admin.example.com',
  })
  corsOrigins: string[] = [];

  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); empty: none. */
  @ListSetting('TRUSTED_PROXIES', { cidr: true, message: 'must be a comma-separated list of addresses or CIDR blocks' })
  trustedProxies: string[] = [];

  /** Longest time a client may take to send a request's headers; a connection that sends nothing is closed after it. */
  @IntSetting('HEADERS_TIMEOUT_MS', { min: 100, max: 300_000, message: 'must be a whole number of milliseconds between 100 and 300000' })
  headersTimeoutMs = 10_000;

  /** How long an idle keep-alive connection stays open after an answer. */
  @IntSetting('KEEP_ALIVE_TIMEOUT_MS', { min: 100, max: 300_000, message: 'must be a whole number of milliseconds between 100 and 300000' })
  keepAliveTimeoutMs = 5_000;

  /** Open HTTP connections at most; a connection beyond it is closed as it arrives. */
  @IntSetting('MAX_CONNECTIONS', { min: 1, max: 1_000_000 })
  maxConnections = 1000;

  /**
   * Open connections from one client at most (an IPv4 address, an IPv6 /64), so that one client
   * cannot take all of MAX_CONNECTIONS; TRUSTED_PROXIES are not limited (their clients are many).
   */
  @IntSetting('MAX_CONNECTIONS_PER_CLIENT', { min: 1, max: 1_000_000 })
  maxConnectionsPerClient = 256;

  /** How long a shutdown waits for requests in flight before it gives up on them. */
  @IntSetting('SHUTDOWN_TIMEOUT_MS', { min: 0, message: 'must be a whole number of milliseconds' })
  shutdownTimeoutMs = 25_000;
}

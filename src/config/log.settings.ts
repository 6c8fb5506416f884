import { OneOfSetting } from './setting.decorators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export class LogSettings {
  @OneOfSetting('LOG_LEVEL', LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  level: LogLevelName = 'log';

  /** json (one object per line) or pretty (for people); unset: pretty when NODE_ENV=development, json otherwise. */
  @OneOfSetting('LOG_FORMAT', ['json', 'pretty'], { optional: true, message: 'must be json or pretty' })
  format?: 'json' | 'pretty';
}

import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { existsSync } from 'node:fs';
import { AdminSettings } from './admin.settings';
import { DatabaseSettings } from './database.settings';
import { HookSettings } from './hook.settings';
import { IntakeSettings } from './intake.settings';
import { LogSettings } from './log.settings';
import { RetentionSettings } from './retention.settings';
import { ServerSettings } from './server.settings';
import { envNameOf, isSecretSetting } from './setting.decorators';

/**
 * Every setting of the service, by area, each read from its environment variable with its
 * default. Each area is a Nest provider (SettingsModule): a class takes the one it needs,
 * `constructor(private readonly settings: HookSettings)`. `.env.example` documents each variable.
 */
export interface Settings {
  server: ServerSettings;
  database: DatabaseSettings;
  intake: IntakeSettings;
  hooks: HookSettings;
  admin: AdminSettings;
  log: LogSettings;
  retention: RetentionSettings;
}

/** The areas in the order their refusals are listed. */
export const SETTINGS_AREAS: { [Area in keyof Settings]: ClassConstructor<Settings[Area]> } = {
  server: ServerSettings,
  database: DatabaseSettings,
  intake: IntakeSettings,
  hooks: HookSettings,
  admin: AdminSettings,
  log: LogSettings,
  retention: RetentionSettings,
};

/** What a refusal quotes of a value: nothing of a secret setting, and URLs without their credentials. */
function quoted(secret: boolean, value: unknown): string {
  if (secret) return 'a value, hidden';
  return JSON.stringify(typeof value === 'string' ? withoutCredentials(value) : value);
}

/**
 * `text` with the user information of its URLs hidden: `postgresql://se3:***@db/se3`. Everything
 * from the first `://` to the last `@` counts as user information, so that a password holding
 * `@`, `,`, `/`, quotes or spaces is hidden whole, in a list of URLs too; a user name alone (a
 * token) is hidden as well. It hides too much rather than too little.
 */
export function withoutCredentials(text: string): string {
  const start = text.indexOf('://') + 3;
  const at = text.lastIndexOf('@');
  if (start < 3 || at < start) return text;
  const userInfo = text.slice(start, at);
  const colon = userInfo.indexOf(':');
  return text.slice(0, start) + (colon >= 0 ? `${userInfo.slice(0, colon)}:***` : '***') + text.slice(at);
}

function describe(errors: ValidationError[], raw: Record<string, unknown>): string[] {
  return errors.map((error) => {
    const name = envNameOf(error.target!, error.property);
    const secret = isSecretSetting(error.target!, error.property);
    const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    // A default can fail a check that depends on another setting (INGEST_BODY_BUDGET >= BODY_LIMIT).
    const given = name in raw ? `got ${quoted(secret, raw[name])}` : `its default is ${quoted(secret, error.value)}`;
    return `${name} ${reason} (${given})`;
  });
}

/**
 * Turns raw environment strings into typed settings, or throws one error that lists every bad
 * variable, naming it (a secret's value is never quoted). Empty values count as unset, so
 * `.env.example` can be copied as it is.
 */
export function validateSettings(environment: Record<string, unknown>): Settings {
  const raw = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const refusals: string[] = [];
  const areas = Object.entries(SETTINGS_AREAS).map(([area, type]) => {
    const settings = plainToInstance(type as ClassConstructor<object>, raw, { excludeExtraneousValues: true, exposeDefaultValues: true });
    refusals.push(...describe(validateSync(settings, { skipMissingProperties: false }), raw));
    return [area, settings];
  });
  if (refusals.length > 0) throw new Error(`Invalid configuration:\n  - ${refusals.join('\n  - ')}`);
  return Object.fromEntries(areas) as Settings;
}

/**
 * The settings of a process: `.env` (when present) under the environment, validated. On a bad
 * value it prints what is wrong, naming each variable, and exits: nothing starts half-configured.
 */
export function loadSettingsOrExit(): Settings {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return validateSettings(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

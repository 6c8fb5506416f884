import { existsSync } from 'node:fs';
import { EnvironmentVariables, validateEnvironment } from './environment';

/**
 * The settings of a process: `.env` (when present) under the environment, validated. On a bad
 * value it prints what is wrong, naming each variable, and exits: nothing starts half-configured.
 */
export function loadSettingsOrExit(): EnvironmentVariables {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return validateEnvironment(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

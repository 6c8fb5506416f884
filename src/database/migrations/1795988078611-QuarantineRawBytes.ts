import { MigrationInterface, QueryRunner } from 'typeorm';

export class QuarantineRawBytes1795988078611 implements MigrationInterface {
  name = 'QuarantineRawBytes1795988078611';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quarantined_event" ADD "raw_bytes" bytea`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quarantined_event" DROP COLUMN "raw_bytes"`);
  }
}

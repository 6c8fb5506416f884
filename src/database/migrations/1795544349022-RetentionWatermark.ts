import { MigrationInterface, QueryRunner } from 'typeorm';

export class RetentionWatermark1795544349022 implements MigrationInterface {
  name = 'RetentionWatermark1795544349022';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "retention_watermark" ("task" character varying(32) NOT NULL, "last_event_id" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78fa48b7cc8175292fb84b2541b" PRIMARY KEY ("task"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "retention_watermark"`);
  }
}

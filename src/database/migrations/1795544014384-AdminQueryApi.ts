import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminQueryApi1795544014384 implements MigrationInterface {
  name = 'AdminQueryApi1795544014384';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "edge_point" ("dev_sno" text NOT NULL, "ep_id" text NOT NULL, "device_ip" text NOT NULL, "device_type" text NOT NULL, "first_event_time" TIMESTAMP WITH TIME ZONE NOT NULL, "last_event_time" TIMESTAMP WITH TIME ZONE NOT NULL, "event_count" bigint NOT NULL, CONSTRAINT "PK_f719d3be8d316a565f33242ee3a" PRIMARY KEY ("dev_sno", "ep_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "event_count_slot" ("dimension" character varying(16) NOT NULL, "slot" TIMESTAMP WITH TIME ZONE NOT NULL, "value" text NOT NULL, "event_count" bigint NOT NULL, CONSTRAINT "event_count_slot_dimension" CHECK ("dimension" IN ('person_type', 'dev_sno', 'ep_id', 'device_type', 'want_action')), CONSTRAINT "PK_690cff4d7b63aa32888b57a5ab0" PRIMARY KEY ("dimension", "slot", "value"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "event_stats_watermark" ("id" smallint NOT NULL, "folded_up_to" bigint NOT NULL, "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "event_stats_watermark_single_row" CHECK ("id" = 1), CONSTRAINT "PK_1e2bece73f7470959330168404d" PRIMARY KEY ("id"))`,
    );
    // Edited by hand: the generated "ADD ... NOT NULL" fails on a table that holds events, so the
    // copies of the ext_data fields are added nullable, filled from history_event_ext_data, then
    // made NOT NULL.
    await queryRunner.query(`ALTER TABLE "history_event" ADD "dev_sno" text`);
    await queryRunner.query(`ALTER TABLE "history_event" ADD "ep_id" text`);
    await queryRunner.query(`ALTER TABLE "history_event" ADD "person_type" smallint`);
    await queryRunner.query(
      `UPDATE "history_event" e SET "dev_sno" = x."dev_sno", "ep_id" = x."ep_id", "person_type" = x."person_type" FROM "history_event_ext_data" x WHERE x."event_id" = e."id"`,
    );
    await queryRunner.query(`ALTER TABLE "history_event" ALTER COLUMN "dev_sno" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "history_event" ALTER COLUMN "ep_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "history_event" ALTER COLUMN "person_type" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "history_event_want_action_time" ON "history_event"  ("want_action", "event_time", "id") `);
    await queryRunner.query(`CREATE INDEX "history_event_person_type_time" ON "history_event"  ("person_type", "event_time", "id") `);
    await queryRunner.query(`CREATE INDEX "history_event_identity_id_time" ON "history_event"  ("identity_id", "event_time", "id") `);
    await queryRunner.query(`CREATE INDEX "history_event_ep_id_time" ON "history_event"  ("ep_id", "event_time", "id") `);
    await queryRunner.query(`CREATE INDEX "history_event_dev_sno_time" ON "history_event"  ("dev_sno", "event_time", "id") `);
    await queryRunner.query(`CREATE INDEX "history_event_time" ON "history_event"  ("event_time", "id") `);
    // Added by hand (the entity declares it with synchronize: false): case-insensitive substring
    // search on identity_name (ILIKE '%...%') through a GIN trigram index. pg_trgm ships with
    // PostgreSQL and is a trusted extension (13+): the database owner can create it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "history_event_identity_name_trgm" ON "history_event" USING gin ("identity_name" gin_trgm_ops)`);
    // Added by hand (declared with synchronize: false): a summary reads a range of slots from the
    // index alone (INCLUDE is beyond TypeORM), however scattered the upserted rows are in the
    // table; vacuuming it often keeps the pages all-visible for index-only scans.
    await queryRunner.query(
      `CREATE INDEX "event_count_slot_counts" ON "event_count_slot" ("dimension", "slot") INCLUDE ("value", "event_count")`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_count_slot" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Added by hand. The pg_trgm extension stays: other objects of the database may use it.
    await queryRunner.query(`DROP INDEX "public"."history_event_identity_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."event_count_slot_counts"`);
    await queryRunner.query(`DROP INDEX "public"."history_event_time"`);
    await queryRunner.query(`DROP INDEX "public"."history_event_dev_sno_time"`);
    await queryRunner.query(`DROP INDEX "public"."history_event_ep_id_time"`);
    await queryRunner.query(`DROP INDEX "public"."history_event_identity_id_time"`);
    await queryRunner.query(`DROP INDEX "public"."history_event_person_type_time"`);
    await queryRunner.query(`DROP INDEX "public"."history_event_want_action_time"`);
    await queryRunner.query(`ALTER TABLE "history_event" DROP COLUMN "person_type"`);
    await queryRunner.query(`ALTER TABLE "history_event" DROP COLUMN "ep_id"`);
    await queryRunner.query(`ALTER TABLE "history_event" DROP COLUMN "dev_sno"`);
    await queryRunner.query(`DROP TABLE "event_stats_watermark"`);
    await queryRunner.query(`DROP TABLE "event_count_slot"`);
    await queryRunner.query(`DROP TABLE "edge_point"`);
  }
}

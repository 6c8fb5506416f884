import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text columns accept up to 4,096 characters, more than a btree index entry holds (~2,700 bytes;
 * 4,096 characters of CJK text are 12 KB). No index holds such a column's text any more
 * (src/database/long-text.ts):
 * - the filter indexes of history_event (dev_sno, ep_id, identity_id) and the ordering of hook
 *   deliveries (ordering_key, an identity_id) hold its first 256 characters (at most 1 KB);
 * - the unique keys of gallery_identity (group_name, identity_id) and edge_point (dev_sno, ep_id,
 *   which gets an id as its primary key) hold its digest, text_digest(column);
 * - the slot counts refer to their values by id, in event_count_value, keyed by digest.
 * Generated, then edited by hand: TypeORM cannot express expression indexes, and the counts are
 * carried over rather than dropped.
 */
export class LongTextKeys1795988318080 implements MigrationInterface {
  name = 'LongTextKeys1795988318080';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // sha256 of the UTF-8 bytes. convert_to is only STABLE (conversions can be redefined); the
    // conversion from the database's own encoding does not change, so the digest is immutable.
    await queryRunner.query(`CREATE FUNCTION "text_digest"(text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT pg_catalog.sha256(pg_catalog.convert_to($1, 'UTF8')) $$`);

    for (const column of ['dev_sno', 'ep_id', 'identity_id']) {
      await queryRunner.query(`DROP INDEX "history_event_${column}_time"`);
      await queryRunner.query(
        `CREATE INDEX "history_event_${column}_time" ON "history_event" (left("${column}", 256), "event_time", "id")`,
      );
    }
    await queryRunner.query(`DROP INDEX "gallery_identity_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "gallery_identity_key" ON "gallery_identity" (text_digest("group_name"), text_digest("identity_id"))`,
    );
    await queryRunner.query(`DROP INDEX "hook_delivery_pending_in_order"`);
    await queryRunner.query(
      `CREATE INDEX "hook_delivery_pending_in_order" ON "hook_delivery" ("subscriber", left("ordering_key", 256), "hook_seq") WHERE "status" = 'pending'`,
    );

    await queryRunner.query(`ALTER TABLE "edge_point" DROP CONSTRAINT "PK_f719d3be8d316a565f33242ee3a"`);
    await queryRunner.query(`ALTER TABLE "edge_point" ADD "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL`);
    await queryRunner.query(`ALTER TABLE "edge_point" ADD CONSTRAINT "PK_0dd931c98bf6f6a0907f6d7c5f9" PRIMARY KEY ("id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "edge_point_key" ON "edge_point" (text_digest("dev_sno"), text_digest("ep_id"))`);

    await queryRunner.query(
      `CREATE TABLE "event_count_value" ("id" integer GENERATED ALWAYS AS IDENTITY NOT NULL, "value" text NOT NULL, CONSTRAINT "PK_a0145611016c554cdfed67f41fa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "event_count_value_key" ON "event_count_value" (text_digest("value"))`);
    await queryRunner.query(`INSERT INTO "event_count_value" ("value") SELECT DISTINCT "value" FROM "event_count_slot"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" ADD "value_id" integer`);
    await queryRunner.query(`UPDATE "event_count_slot" s SET "value_id" = v."id" FROM "event_count_value" v WHERE v."value" = s."value"`);
    await queryRunner.query(`DROP INDEX "event_count_slot_counts"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" DROP CONSTRAINT "PK_690cff4d7b63aa32888b57a5ab0"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" DROP COLUMN "value"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" ALTER COLUMN "value_id" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "event_count_slot" ADD CONSTRAINT "PK_03c5430f42a1a47ac770ee8b4ad" PRIMARY KEY ("dimension", "slot", "value_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_count_slot" ADD CONSTRAINT "FK_a71b76c8cbcf8e80c3095e56d8e" FOREIGN KEY ("value_id") REFERENCES "event_count_value"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "event_count_slot_counts" ON "event_count_slot" ("dimension", "slot") INCLUDE ("value_id", "event_count")`,
    );
  }

  /** Reverting fails while a text longer than a btree entry is stored in one of these columns. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "event_count_slot_counts"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" DROP CONSTRAINT "FK_a71b76c8cbcf8e80c3095e56d8e"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" ADD "value" text`);
    await queryRunner.query(`UPDATE "event_count_slot" s SET "value" = v."value" FROM "event_count_value" v WHERE v."id" = s."value_id"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" DROP CONSTRAINT "PK_03c5430f42a1a47ac770ee8b4ad"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" DROP COLUMN "value_id"`);
    await queryRunner.query(`ALTER TABLE "event_count_slot" ALTER COLUMN "value" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "event_count_slot" ADD CONSTRAINT "PK_690cff4d7b63aa32888b57a5ab0" PRIMARY KEY ("dimension", "slot", "value")`,
    );
    await queryRunner.query(
      `CREATE INDEX "event_count_slot_counts" ON "event_count_slot" ("dimension", "slot") INCLUDE ("value", "event_count")`,
    );
    await queryRunner.query(`DROP TABLE "event_count_value"`);

    await queryRunner.query(`DROP INDEX "edge_point_key"`);
    await queryRunner.query(`ALTER TABLE "edge_point" DROP CONSTRAINT "PK_0dd931c98bf6f6a0907f6d7c5f9"`);
    await queryRunner.query(`ALTER TABLE "edge_point" DROP COLUMN "id"`);
    await queryRunner.query(`ALTER TABLE "edge_point" ADD CONSTRAINT "PK_f719d3be8d316a565f33242ee3a" PRIMARY KEY ("dev_sno", "ep_id")`);

    await queryRunner.query(`DROP INDEX "hook_delivery_pending_in_order"`);
    await queryRunner.query(
      `CREATE INDEX "hook_delivery_pending_in_order" ON "hook_delivery" ("subscriber", "ordering_key", "hook_seq") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(`DROP INDEX "gallery_identity_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "gallery_identity_key" ON "gallery_identity" ("group_name", "identity_id")`);
    for (const column of ['dev_sno', 'ep_id', 'identity_id']) {
      await queryRunner.query(`DROP INDEX "history_event_${column}_time"`);
      await queryRunner.query(`CREATE INDEX "history_event_${column}_time" ON "history_event" ("${column}", "event_time", "id")`);
    }
    await queryRunner.query(`DROP FUNCTION "text_digest"(text)`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class HookDeliveriesAndGallery1795543678252 implements MigrationInterface {
  name = 'HookDeliveriesAndGallery1795543678252';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gallery_identity" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "group_name" text NOT NULL, "identity_id" text NOT NULL, "name" text NOT NULL, "person_type" smallint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a7cb39c5fb6a8245363c5eef8ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "gallery_identity_key" ON "gallery_identity"  ("group_name", "identity_id") `);
    await queryRunner.query(
      `CREATE TABLE "gallery_face" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "gallery_identity_id" bigint NOT NULL, "hook_id" uuid NOT NULL, "event_id" bigint, "image_kind" character varying(16) NOT NULL, "content_type" character varying(32) NOT NULL, "byte_size" integer NOT NULL, "sha256" bytea NOT NULL, "data" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replaced_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6eec8fe3364cc470f27a8a404bb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "gallery_face_event_id" ON "gallery_face"  ("event_id") `);
    await queryRunner.query(`CREATE INDEX "gallery_face_of_identity" ON "gallery_face"  ("gallery_identity_id", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "gallery_face_current" ON "gallery_face"  ("gallery_identity_id") WHERE "replaced_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "gallery_change" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "hook_id" uuid NOT NULL, "hook_type" character varying(32) NOT NULL, "event_id" bigint, "group_name" text NOT NULL, "identity_id" text NOT NULL, "gallery_identity_id" bigint, "face_id" bigint, "outcome" character varying(24) NOT NULL, "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_88d0c06be7464074b1c6e5dae4f" UNIQUE ("hook_id"), CONSTRAINT "gallery_change_outcome" CHECK ("outcome" IN ('registered', 'already_registered', 'identity_created', 'face_replaced', 'rejected')), CONSTRAINT "PK_2fabe4e5e05345953de2ae535c5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "gallery_change_event_id" ON "gallery_change"  ("event_id") `);
    await queryRunner.query(`CREATE INDEX "gallery_change_by_outcome" ON "gallery_change"  ("outcome", "id") `);
    await queryRunner.query(`CREATE INDEX "gallery_change_of_identity" ON "gallery_change"  ("gallery_identity_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "hook_delivery" ("hook_seq" bigint NOT NULL, "subscriber" text NOT NULL, "ordering_key" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claimed_until" TIMESTAMP WITH TIME ZONE, "claim_token" uuid, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "hook_delivery_status" CHECK ("status" IN ('pending', 'delivered', 'dead')), CONSTRAINT "PK_e63b35d1c55628eabbf49e16e79" PRIMARY KEY ("hook_seq", "subscriber"))`,
    );
    await queryRunner.query(`CREATE INDEX "hook_delivery_by_status" ON "hook_delivery"  ("status", "hook_seq") `);
    await queryRunner.query(
      `CREATE INDEX "hook_delivery_pending_in_order" ON "hook_delivery"  ("subscriber", "ordering_key", "hook_seq") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "hook_delivery_due" ON "hook_delivery"  ("next_attempt_at", "hook_seq") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `ALTER TABLE "gallery_face" ADD CONSTRAINT "FK_4d09c9cdbccaa0d94a509479148" FOREIGN KEY ("gallery_identity_id") REFERENCES "gallery_identity"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "gallery_face" ADD CONSTRAINT "FK_f0bf9fcb131e9683b40db4e4256" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "gallery_change" ADD CONSTRAINT "FK_c685f8fdd4dc0009eba67d2d2ab" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "gallery_change" ADD CONSTRAINT "FK_67c4121b0efba0b37b682da03f0" FOREIGN KEY ("gallery_identity_id") REFERENCES "gallery_identity"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "gallery_change" ADD CONSTRAINT "FK_e4c56ddeae05f61869aaa2156f8" FOREIGN KEY ("face_id") REFERENCES "gallery_face"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "hook_delivery" ADD CONSTRAINT "FK_d437b0c68d03e83ee0c097fad19" FOREIGN KEY ("hook_seq") REFERENCES "hook"("seq") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Hand-added: face images are JPEG, which does not compress; store them uncompressed (as history_event_image).
    await queryRunner.query(`ALTER TABLE "gallery_face" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
    // Hand-added (TypeORM cannot express triggers): a statement that inserts hooks wakes the
    // dispatchers that LISTEN on se3_hook_created, at commit.
    await queryRunner.query(`CREATE FUNCTION "hook_notify_created"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM inserted) THEN PERFORM pg_notify('se3_hook_created', ''); END IF;
                RETURN NULL;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER "hook_created" AFTER INSERT ON "hook" REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION "hook_notify_created"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "hook_created" ON "hook"`);
    await queryRunner.query(`DROP FUNCTION "hook_notify_created"()`);
    await queryRunner.query(`ALTER TABLE "hook_delivery" DROP CONSTRAINT "FK_d437b0c68d03e83ee0c097fad19"`);
    await queryRunner.query(`ALTER TABLE "gallery_change" DROP CONSTRAINT "FK_e4c56ddeae05f61869aaa2156f8"`);
    await queryRunner.query(`ALTER TABLE "gallery_change" DROP CONSTRAINT "FK_67c4121b0efba0b37b682da03f0"`);
    await queryRunner.query(`ALTER TABLE "gallery_change" DROP CONSTRAINT "FK_c685f8fdd4dc0009eba67d2d2ab"`);
    await queryRunner.query(`ALTER TABLE "gallery_face" DROP CONSTRAINT "FK_f0bf9fcb131e9683b40db4e4256"`);
    await queryRunner.query(`ALTER TABLE "gallery_face" DROP CONSTRAINT "FK_4d09c9cdbccaa0d94a509479148"`);
    await queryRunner.query(`DROP INDEX "public"."hook_delivery_due"`);
    await queryRunner.query(`DROP INDEX "public"."hook_delivery_pending_in_order"`);
    await queryRunner.query(`DROP INDEX "public"."hook_delivery_by_status"`);
    await queryRunner.query(`DROP TABLE "hook_delivery"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_change_of_identity"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_change_by_outcome"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_change_event_id"`);
    await queryRunner.query(`DROP TABLE "gallery_change"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_face_current"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_face_of_identity"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_face_event_id"`);
    await queryRunner.query(`DROP TABLE "gallery_face"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_identity_key"`);
    await queryRunner.query(`DROP TABLE "gallery_identity"`);
  }
}

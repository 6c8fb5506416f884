import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795541031403 implements MigrationInterface {
  name = 'InitialSchema1795541031403';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "history_event_fiqa" ("event_id" bigint NOT NULL, "source" character varying(4) NOT NULL, "age" double precision, "sex" smallint, "confidence" double precision, "face_id" bigint, "pitch" double precision, "yaw" double precision, "roll" double precision, "eye_dist" double precision, "rect_top" double precision, "rect_bottom" double precision, "rect_left" double precision, "rect_right" double precision, "rel_rect_top" double precision, "rel_rect_bottom" double precision, "rel_rect_left" double precision, "rel_rect_right" double precision, "fiqa_result" boolean, "face_size" double precision, "clarity" double precision, "brightness" double precision, "partial" boolean, "roll_angle" double precision, "pitch_angle" double precision, "yaw_angle" double precision, "checks_passed" text array, "checks_failed" text array, "raw" jsonb NOT NULL, CONSTRAINT "history_event_fiqa_source" CHECK ("source" IN ('grab', 'box')), CONSTRAINT "PK_a3eb666af19c28a872f5ff2a6ec" PRIMARY KEY ("event_id", "source"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "history_event_image" ("event_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "content_type" character varying(32), "byte_size" integer NOT NULL, "sha256" bytea NOT NULL, "data" bytea NOT NULL, "data_url_prefix" text, CONSTRAINT "history_event_image_kind" CHECK ("kind" IN ('reg_pic', 'spot_pic', 'recognize_face')), CONSTRAINT "PK_c8666569dbbb4b7f49e52d83da4" PRIMARY KEY ("event_id", "kind"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "history_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "dedup_key" bytea NOT NULL, "identity_id" text NOT NULL, "identity_name" text NOT NULL, "group_name" text NOT NULL, "timestamp_ms" bigint NOT NULL, "event_time" TIMESTAMP WITH TIME ZONE NOT NULL, "score" double precision NOT NULL, "want_action" character varying(8) NOT NULL, "extra_fields" jsonb, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "received_from" inet, CONSTRAINT "UQ_d503e1a6be622c286e818e85b57" UNIQUE ("dedup_key"), CONSTRAINT "history_event_want_action" CHECK ("want_action" IN ('0', '1001', '1002')), CONSTRAINT "PK_7fbfa45c0a68854e44cba8c6497" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "history_event_ext_data" ("event_id" bigint NOT NULL, "device_ip" text NOT NULL, "ep_id" text NOT NULL, "dev_sno" text NOT NULL, "person_type" smallint NOT NULL, "person_type_sent" boolean NOT NULL, "device_type" text NOT NULL, "extra_fields" jsonb, CONSTRAINT "PK_8beaa83a8762ca536407856a026" PRIMARY KEY ("event_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "quarantined_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "payload_key" bytea NOT NULL, "payload" text NOT NULL, "format" character varying(8) NOT NULL, "errors" jsonb NOT NULL, "dev_sno" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "received_from" inet, "replayed_event_id" bigint, "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_1da7d999d28a361aefb4baa4c64" UNIQUE ("payload_key"), CONSTRAINT "quarantined_event_format" CHECK ("format" IN ('json', 'form')), CONSTRAINT "PK_a5ac288cd07007b6e5c449b1f93" PRIMARY KEY ("id"))`,
    );
    // Added by hand: images are JPEG or PNG, which do not compress; storing them uncompressed
    // (still out of line, in TOAST) saves the attempt on every insert.
    await queryRunner.query(`ALTER TABLE "history_event_image" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
    await queryRunner.query(
      `ALTER TABLE "history_event_fiqa" ADD CONSTRAINT "FK_64e68d6df5e18aa540fbf849f02" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "history_event_image" ADD CONSTRAINT "FK_df6b3036b71b3c209fcf82f6851" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "history_event_ext_data" ADD CONSTRAINT "FK_8beaa83a8762ca536407856a026" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "history_event_ext_data" DROP CONSTRAINT "FK_8beaa83a8762ca536407856a026"`);
    await queryRunner.query(`ALTER TABLE "history_event_image" DROP CONSTRAINT "FK_df6b3036b71b3c209fcf82f6851"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP CONSTRAINT "FK_64e68d6df5e18aa540fbf849f02"`);
    await queryRunner.query(`DROP TABLE "quarantined_event"`);
    await queryRunner.query(`DROP TABLE "history_event_ext_data"`);
    await queryRunner.query(`DROP TABLE "history_event"`);
    await queryRunner.query(`DROP TABLE "history_event_image"`);
    await queryRunner.query(`DROP TABLE "history_event_fiqa"`);
  }
}

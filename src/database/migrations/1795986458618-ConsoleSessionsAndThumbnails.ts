import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsoleSessionsAndThumbnails1795986458618 implements MigrationInterface {
  name = 'ConsoleSessionsAndThumbnails1795986458618';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "console_session" ("token_hash" bytea NOT NULL, "key_id" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_from" inet, "user_agent" character varying(256), CONSTRAINT "PK_d2489983f3903a6c92782d0d0e1" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "console_session_expires_at" ON "console_session"  ("expires_at") `);
    await queryRunner.query(
      `CREATE TABLE "event_image_thumbnail" ("event_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "size" smallint NOT NULL, "source_sha256" bytea NOT NULL, "content_type" character varying(32) NOT NULL, "data" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_65672884c1e7bdef66309cf7da6" PRIMARY KEY ("event_id", "kind", "size"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "gallery_face_thumbnail" ("face_id" bigint NOT NULL, "size" smallint NOT NULL, "source_sha256" bytea NOT NULL, "content_type" character varying(32) NOT NULL, "data" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6927cc27ed4b5dac1928f715e3e" PRIMARY KEY ("face_id", "size"))`,
    );
    await queryRunner.query(`CREATE INDEX "gallery_change_created_at" ON "gallery_change"  ("created_at") `);
    await queryRunner.query(
      `ALTER TABLE "event_image_thumbnail" ADD CONSTRAINT "FK_ca0eb61ffa461e6be010de50bcb" FOREIGN KEY ("event_id", "kind") REFERENCES "history_event_image"("event_id","kind") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "gallery_face_thumbnail" ADD CONSTRAINT "FK_7d9d46f4f1fc39247cab22a3978" FOREIGN KEY ("face_id") REFERENCES "gallery_face"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gallery_face_thumbnail" DROP CONSTRAINT "FK_7d9d46f4f1fc39247cab22a3978"`);
    await queryRunner.query(`ALTER TABLE "event_image_thumbnail" DROP CONSTRAINT "FK_ca0eb61ffa461e6be010de50bcb"`);
    await queryRunner.query(`DROP INDEX "public"."gallery_change_created_at"`);
    await queryRunner.query(`DROP TABLE "gallery_face_thumbnail"`);
    await queryRunner.query(`DROP TABLE "event_image_thumbnail"`);
    await queryRunner.query(`DROP INDEX "public"."console_session_expires_at"`);
    await queryRunner.query(`DROP TABLE "console_session"`);
  }
}

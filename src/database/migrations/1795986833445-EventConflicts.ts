import { MigrationInterface, QueryRunner } from 'typeorm';

export class EventConflicts1795986833445 implements MigrationInterface {
  name = 'EventConflicts1795986833445';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "event_conflict" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "event_id" bigint NOT NULL, "content_key" bytea NOT NULL, "payload" text NOT NULL, "format" character varying(8) NOT NULL, "differences" jsonb NOT NULL, "withheld_hook" character varying(32), "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "received_from" inet, CONSTRAINT "event_conflict_format" CHECK ("format" IN ('json', 'form')), CONSTRAINT "PK_2172763733a66c942c26800c790" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "event_conflict_copy" ON "event_conflict"  ("event_id", "content_key") `);
    await queryRunner.query(`ALTER TABLE "history_event" ADD "content_key" bytea`);
    await queryRunner.query(
      `ALTER TABLE "event_conflict" ADD CONSTRAINT "FK_0aa20d7f791f181b0a9944deea0" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "event_conflict" DROP CONSTRAINT "FK_0aa20d7f791f181b0a9944deea0"`);
    await queryRunner.query(`ALTER TABLE "history_event" DROP COLUMN "content_key"`);
    await queryRunner.query(`DROP INDEX "public"."event_conflict_copy"`);
    await queryRunner.query(`DROP TABLE "event_conflict"`);
  }
}

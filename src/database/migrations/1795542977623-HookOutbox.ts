import { MigrationInterface, QueryRunner } from 'typeorm';

export class HookOutbox1795542977623 implements MigrationInterface {
  name = 'HookOutbox1795542977623';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "hook" ("seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "id" uuid NOT NULL, "type" character varying(32) NOT NULL, "event_id" bigint NOT NULL, "ordering_key" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "fanned_out" boolean NOT NULL DEFAULT false, CONSTRAINT "UQ_4fae52db3090a56452a9c93e0ed" UNIQUE ("id"), CONSTRAINT "PK_3abb3e5dfb12c410ab3a3304466" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "hook_event_id" ON "hook"  ("event_id") `);
    await queryRunner.query(`CREATE INDEX "hook_awaiting_fan_out" ON "hook"  ("seq") WHERE NOT "fanned_out"`);
    await queryRunner.query(
      `ALTER TABLE "hook" ADD CONSTRAINT "FK_7374d299c678ee42acd2e23614c" FOREIGN KEY ("event_id") REFERENCES "history_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hook" DROP CONSTRAINT "FK_7374d299c678ee42acd2e23614c"`);
    await queryRunner.query(`DROP INDEX "public"."hook_awaiting_fan_out"`);
    await queryRunner.query(`DROP INDEX "public"."hook_event_id"`);
    await queryRunner.query(`DROP TABLE "hook"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * history_event_fiqa keeps, besides each object whole in `raw`, only the column a query reads:
 * the box's verdict `fiqa_result` (see HistoryEventFiqaEntity). The 25 other typed columns were
 * written with every event and never read; their values stay in `raw`. Generated. Reverting adds
 * the columns back empty (new events fill them again once the old code runs).
 */
export class FiqaVerdictOnly1795993256266 implements MigrationInterface {
  name = 'FiqaVerdictOnly1795993256266';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "age"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "sex"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "confidence"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "face_id"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "pitch"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "yaw"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "roll"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "eye_dist"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rect_top"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rect_bottom"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rect_left"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rect_right"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rel_rect_top"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rel_rect_bottom"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rel_rect_left"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "rel_rect_right"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "face_size"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "clarity"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "brightness"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "partial"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "roll_angle"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "pitch_angle"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "yaw_angle"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "checks_passed"`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" DROP COLUMN "checks_failed"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "checks_failed" text array`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "checks_passed" text array`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "yaw_angle" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "pitch_angle" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "roll_angle" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "partial" boolean`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "brightness" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "clarity" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "face_size" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rel_rect_right" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rel_rect_left" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rel_rect_bottom" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rel_rect_top" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rect_right" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rect_left" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rect_bottom" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "rect_top" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "eye_dist" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "roll" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "yaw" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "pitch" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "face_id" bigint`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "confidence" double precision`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "sex" smallint`);
    await queryRunner.query(`ALTER TABLE "history_event_fiqa" ADD "age" double precision`);
  }
}

import { IntSetting, TextSetting } from './setting.decorators';

/** What is removed when, by age since reception (RetentionService). */
export class RetentionSettings {
  /** Days an event keeps its images; 0: forever. */
  @IntSetting('IMAGE_RETENTION_DAYS', { min: 0, message: 'must be a whole number of days (0: keep forever)' })
  imageDays = 30;

  /** Days a stranger's event (person_type 4) keeps its images; 0: as IMAGE_RETENTION_DAYS. */
  @IntSetting('STRANGER_IMAGE_RETENTION_DAYS', { min: 0, message: 'must be a whole number of days (0: as IMAGE_RETENTION_DAYS)' })
  strangerImageDays = 7;

  /** Days an event is kept, with everything that belongs to it; 0: forever. */
  @IntSetting('EVENT_RETENTION_DAYS', { min: 0, message: 'must be a whole number of days (0: keep forever)' })
  eventDays = 365;

  /** Days a quarantined event (and a conflicting copy) is kept; 0: forever. */
  @IntSetting('QUARANTINE_RETENTION_DAYS', { min: 0, message: 'must be a whole number of days (0: keep forever)' })
  quarantineDays = 90;

  /** When retention runs: a cron expression (seconds optional). */
  @TextSetting('RETENTION_CRON', { pattern: /^\S+( \S+){4,5}$/, message: 'must be a cron expression such as "17 * * * *"' })
  cron = '17 * * * *';

  /** Rows removed per statement: small batches never hold long locks. */
  @IntSetting('RETENTION_BATCH_SIZE', { min: 10, max: 100_000 })
  batchSize = 1000;
}

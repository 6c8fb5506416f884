import { Injectable } from '@nestjs/common';
import { FieldErrorsException } from '../../common/error-response';
import { EventSummaryRepository } from './event-summary.repository';

/**
 * The IANA time zone names the database knows (pg_timezone_names), which is what the summary
 * counts in. Read once; names are matched in any case and answered in their own spelling.
 */
@Injectable()
export class TimeZones {
  private names?: Promise<Map<string, string>>;

  constructor(private readonly repository: EventSummaryRepository) {}

  /** The zone's name as the database spells it, or a 400 naming `field`. */
  async resolve(name: string, field = 'tz'): Promise<string> {
    this.names ??= this.load();
    const known = (await this.names).get(name.toLowerCase());
    if (!known) {
      throw new FieldErrorsException('the request is not valid', [
        { field, message: `${field} must be an IANA time zone name such as Europe/Berlin, Asia/Shanghai or UTC` },
      ]);
    }
    return known;
  }

  private async load(): Promise<Map<string, string>> {
    const names = await this.repository.timeZoneNames().catch((error: unknown) => {
      this.names = undefined;
      throw error;
    });
    return new Map(names.map((name) => [name.toLowerCase(), name]));
  }
}

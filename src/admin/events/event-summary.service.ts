import { Injectable } from '@nestjs/common';
import { FieldErrorsException } from '../../common/error-response';
import { EventSummaryDto, EventSummaryQueryDto, mapEventSummary, MAX_SUMMARY_DAYS } from './dto/event-summary.dto';
import { EventSummaryRepository } from './event-summary.repository';
import { TimeZones } from './time-zones';

const DAY_MS = 86_400_000;

/** Counts events per hour or day of a time zone (EventSummaryRepository says how). */
@Injectable()
export class EventSummaryService {
  constructor(
    private readonly repository: EventSummaryRepository,
    private readonly timeZones: TimeZones,
  ) {}

  async summarize(query: EventSummaryQueryDto): Promise<EventSummaryDto> {
    const tz = await this.timeZones.resolve(query.tz);
    const maxDays = MAX_SUMMARY_DAYS[query.bucket];
    if (query.to.getTime() - query.from.getTime() > maxDays * DAY_MS) {
      throw new FieldErrorsException('the request is not valid', [
        {
          field: 'to',
          message: `from-to spans more than ${maxDays} days, the most with bucket=${query.bucket}: narrow it${query.bucket === 'hour' ? ' or use bucket=day' : ''}`,
        },
      ]);
    }
    return mapEventSummary(query, tz, await this.repository.counts(query, tz));
  }
}

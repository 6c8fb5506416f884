import type { EventItem } from '../api';
import { filterQuery, matches, readFilters } from './event-filters';

const item: EventItem = {
  id: '41',
  received_at: '2024-03-10T12:00:01Z',
  identity_id: '1000',
  identity_name: 'Tom Müller',
  group_name: 'default_group',
  timestamp: Date.parse('2024-03-10T12:00:00Z'),
  event_time: '2024-03-10T12:00:00.000Z',
  score: 0.82,
  want_action: '0',
  ext_data: { device_ip: '10.0.0.1', ep_id: 'box-a__10.0.0.1', person_type: 4, device_type: '1', dev_sno: 'box-a' },
  images: { spot_pic: { url: '/x', thumbnail_url: '/x/thumbnail', content_type: 'image/jpeg', byte_size: 10, sha256: 'aa' } },
  fiqa_result: false,
};

const filters = (query: string) => readFilters(new URLSearchParams(query));

describe('the event filters of the console', () => {
  it('round-trips through the URL', () => {
    const read = filters('person_type=4,2&identity_name=tom&fiqa_result=false&from=2024-03-10T00:00:00.000Z&bogus=1');
    expect(read.person_type).toEqual([4, 2]);
    expect(filterQuery(read)).toEqual(
      expect.objectContaining({ person_type: [4, 2], identity_name: 'tom', fiqa_result: 'false', from: '2024-03-10T00:00:00.000Z' }),
    );
    expect(filterQuery(read)).not.toHaveProperty('bogus');
  });

  it('decides like GET /api/events whether a live event belongs in the list', () => {
    expect(matches(item, filters(''))).toBe(true);
    expect(matches(item, filters('identity_name=MÜLL'))).toBe(true);
    expect(matches(item, filters('identity_name=anna'))).toBe(false);
    expect(matches(item, filters('person_type=1,4'))).toBe(true);
    expect(matches(item, filters('person_type=1'))).toBe(false);
    expect(matches(item, filters('from=2024-03-10T12:00:00.000Z'))).toBe(true);
    expect(matches(item, filters('to=2024-03-10T12:00:00.000Z'))).toBe(false);
    expect(matches(item, filters('score_min=0.82&score_max=0.82'))).toBe(true);
    expect(matches(item, filters('score_min=0.9'))).toBe(false);
    expect(matches(item, filters('fiqa_result=false'))).toBe(true);
    expect(matches(item, filters('fiqa_result=true'))).toBe(false);
    expect(matches(item, filters('has_image=spot_pic'))).toBe(true);
    expect(matches(item, filters('has_image=reg_pic'))).toBe(false);
    expect(matches(item, filters('dev_sno=box-a&ep_id=box-a__10.0.0.1&want_action=0'))).toBe(true);
    expect(matches(item, filters('dev_sno=box-b'))).toBe(false);
  });
});

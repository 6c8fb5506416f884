import { ApiProperty } from '@nestjs/swagger';

export class EdgePointDto {
  @ApiProperty({ description: 'The capture device attached to the box', example: '3714be15-09b3-41ec-b9ce-62b668e5fa32__192.168.1.101' })
  ep_id: string;

  @ApiProperty({ description: 'From its latest event', example: '192.168.1.101' })
  device_ip: string;

  @ApiProperty({ description: 'From its latest event: 0 gate, 1 snapshot camera, 2 static IPC, 3 IPC, 4 access control', example: '0' })
  device_type: string;

  @ApiProperty({ description: 'Events stored from it' })
  event_count: number;

  @ApiProperty({ description: 'Event time of its earliest event' })
  first_event_time: Date;

  @ApiProperty({ description: 'Event time of its latest event' })
  last_event_time: Date;
}

export class BoxDto {
  @ApiProperty({
    description: "The box's authorisation code; empty for boxes not in managed mode",
    example: '3714be15-09b3-41ec-b9ce-62b668e5fa32',
  })
  dev_sno: string;

  @ApiProperty({ description: 'Events stored from all its edge points' })
  event_count: number;

  @ApiProperty()
  first_event_time: Date;

  @ApiProperty()
  last_event_time: Date;

  @ApiProperty({ type: [EdgePointDto] })
  edge_points: EdgePointDto[];
}

export class DeviceListDto {
  @ApiProperty({ type: [BoxDto], description: 'Every box seen, by dev_sno, with its edge points by ep_id' })
  items: BoxDto[];
}

/** A row of the device query: one edge point, totals included. */
export interface EdgePointRow {
  dev_sno: string;
  ep_id: string;
  device_ip: string;
  device_type: string;
  first_event_time: Date;
  last_event_time: Date;
  event_count: string;
}

export function mapDeviceList(rows: EdgePointRow[]): DeviceListDto {
  const boxes = new Map<string, BoxDto>();
  for (const row of rows) {
    const edgePoint: EdgePointDto = {
      ep_id: row.ep_id,
      device_ip: row.device_ip,
      device_type: row.device_type,
      event_count: Number(row.event_count),
      first_event_time: row.first_event_time,
      last_event_time: row.last_event_time,
    };
    const box = boxes.get(row.dev_sno);
    if (!box) {
      boxes.set(row.dev_sno, {
        dev_sno: row.dev_sno,
        event_count: edgePoint.event_count,
        first_event_time: edgePoint.first_event_time,
        last_event_time: edgePoint.last_event_time,
        edge_points: [edgePoint],
      });
      continue;
    }
    box.event_count += edgePoint.event_count;
    if (edgePoint.first_event_time < box.first_event_time) box.first_event_time = edgePoint.first_event_time;
    if (edgePoint.last_event_time > box.last_event_time) box.last_event_time = edgePoint.last_event_time;
    box.edge_points.push(edgePoint);
  }
  return { items: [...boxes.values()] };
}

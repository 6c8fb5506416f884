import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi } from '../../auth/admin-api-key.guard';
import { DevicesService } from './devices.service';
import { DeviceListDto } from './dto/devices.dto';

@ApiTags('devices')
@AdminApi()
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @ApiOperation({
    summary: 'Every box and edge point seen',
    description:
      'With device IP and type (from the latest event), first and last event time and event count; exact, kept up to date as events arrive.',
  })
  @ApiOkResponse({ type: DeviceListDto, description: 'Boxes by dev_sno, each with its edge points by ep_id' })
  list(): Promise<DeviceListDto> {
    return this.devices.list();
  }
}

import { Injectable } from '@nestjs/common';
import { DevicesRepository } from './devices.repository';
import { DeviceListDto, mapDeviceList } from './dto/devices.dto';

@Injectable()
export class DevicesService {
  constructor(private readonly repository: DevicesRepository) {}

  async list(): Promise<DeviceListDto> {
    return mapDeviceList(await this.repository.edgePoints());
  }
}

import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { AdminApi } from '../auth/admin-api-key.guard';
import type { Page } from '../common/id-cursor';
import { HookDto, HookIdParamsDto, HookListQueryDto } from './dto/hook.dto';
import { HooksAdminService } from './hooks-admin.service';

@Controller('api/hooks')
@AdminApi()
export class HooksController {
  constructor(private readonly hooks: HooksAdminService) {}

  /** Hooks newest first, with each subscriber's delivery; `status` keeps those whose overall status it is. */
  @Get()
  list(@Query() query: HookListQueryDto): Promise<Page<HookDto>> {
    return this.hooks.list(query);
  }

  /** Delivers a hook's dead deliveries again (409 when it has none). */
  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  retry(@Param() params: HookIdParamsDto): Promise<HookDto> {
    return this.hooks.retry(params.id);
  }
}

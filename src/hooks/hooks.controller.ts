import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi } from '../auth/admin-api-key.guard';
import { ErrorResponseDto } from '../common/error-response';
import { HookDto, HookIdParamsDto, HookListQueryDto, HookPageDto } from './dto/hook.dto';
import { HooksAdminService } from './hooks-admin.service';

const BadRequest = () =>
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An unknown parameter or a bad value, named in errors' });

@ApiTags('hooks')
@AdminApi()
@Controller('api/hooks')
export class HooksController {
  constructor(private readonly hooks: HooksAdminService) {}

  @Get()
  @ApiOperation({
    summary: 'Hooks and their deliveries',
    description: "Newest first, with each subscriber's delivery; `status` keeps the hooks whose overall status it is.",
  })
  @ApiOkResponse({ type: HookPageDto, description: 'One page of hooks' })
  @BadRequest()
  list(@Query() query: HookListQueryDto): Promise<HookPageDto> {
    return this.hooks.list(query);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Deliver a hook's dead deliveries again",
    description: 'Each dead delivery becomes pending, due now, with a fresh retry schedule; the others are left as they are.',
  })
  @ApiOkResponse({ type: HookDto, description: 'The hook, its revived deliveries pending' })
  @BadRequest()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No hook with this id' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The hook has no dead delivery' })
  retry(@Param() params: HookIdParamsDto): Promise<HookDto> {
    return this.hooks.retry(params.id);
  }
}

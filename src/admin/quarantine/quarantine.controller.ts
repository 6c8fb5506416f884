import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdminApi } from '../../auth/admin-api-key.guard';
import { ErrorResponseDto } from '../../common/error-response';
import {
  QuarantinedEventDetailDto,
  QuarantineIdParams,
  QuarantineListQueryDto,
  QuarantinePageDto,
  ReplayResultDto,
} from './dto/quarantine.dto';
import { QuarantineService } from './quarantine.service';

const BadRequest = () =>
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An unknown parameter or a bad value, named in errors' });
const NotFound = () => ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No quarantined event with this id' });

@ApiTags('quarantine')
@AdminApi()
@Controller('api/quarantine')
export class QuarantineController {
  constructor(private readonly quarantine: QuarantineService) {}

  @Get()
  @ApiOperation({ summary: 'Uploaded events that failed validation', description: 'Newest first, with the reasons; without the payloads.' })
  @ApiOkResponse({ type: QuarantinePageDto, description: 'One page' })
  @BadRequest()
  list(@Query() query: QuarantineListQueryDto): Promise<QuarantinePageDto> {
    return this.quarantine.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One quarantined event: the event as uploaded, and its errors' })
  @ApiOkResponse({ type: QuarantinedEventDetailDto, description: 'The quarantined event' })
  @BadRequest()
  @NotFound()
  detail(@Param() params: QuarantineIdParams): Promise<QuarantinedEventDetailDto> {
    return this.quarantine.detail(params.id);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Validate a quarantined event again and store it if it now passes',
    description:
      'For events quarantined by a rule since relaxed (IMAGE_MAX_BYTES, JSON_MAX_DEPTH...). Replaying twice answers with the same event id.',
  })
  @ApiOkResponse({ type: ReplayResultDto, description: 'It passed: the event id' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'It still fails validation: the errors' })
  @BadRequest()
  @NotFound()
  replay(@Param() params: QuarantineIdParams): Promise<ReplayResultDto> {
    return this.quarantine.replay(params.id);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi } from '../../auth/admin-api-key.guard';
import { ErrorResponseDto } from '../../common/error-response';
import { ConflictsService } from './conflicts.service';
import { ConflictDetailDto, ConflictIdParams, ConflictListQueryDto, ConflictPageDto } from './dto/conflict.dto';

const BadRequest = () =>
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An unknown parameter or a bad value, named in errors' });

@ApiTags('conflicts')
@AdminApi()
@Controller('api/conflicts')
export class ConflictsController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Get()
  @ApiOperation({
    summary: 'Uploaded copies of stored events whose content differs',
    description:
      'A later upload with the dedup key of a stored event (dev_sno, ep_id, timestamp, identity_id, score) but other content is kept here, not stored as an event and without hook. Newest first, with the fields that differ; without the payloads.',
  })
  @ApiOkResponse({ type: ConflictPageDto, description: 'One page' })
  @BadRequest()
  list(@Query() query: ConflictListQueryDto): Promise<ConflictPageDto> {
    return this.conflicts.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conflicting copy: the copy as uploaded, and each differing field with the stored and the copied value' })
  @ApiOkResponse({ type: ConflictDetailDto, description: 'The conflicting copy' })
  @BadRequest()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No conflict with this id' })
  detail(@Param() params: ConflictIdParams): Promise<ConflictDetailDto> {
    return this.conflicts.detail(params.id);
  }
}

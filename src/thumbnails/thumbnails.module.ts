import { Module } from '@nestjs/common';
import { ThumbnailsController } from './thumbnails.controller';
import { ThumbnailRepository } from './thumbnail.repository';
import { ThumbnailsService } from './thumbnails.service';

@Module({
  controllers: [ThumbnailsController],
  providers: [ThumbnailRepository, ThumbnailsService],
})
export class ThumbnailsModule {}

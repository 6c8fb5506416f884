import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventImageThumbnailEntity } from './event-image-thumbnail.entity';
import { GalleryFaceThumbnailEntity } from './gallery-face-thumbnail.entity';
import { ThumbnailsController } from './thumbnails.controller';
import { ThumbnailRepository } from './thumbnail.repository';
import { ThumbnailsService } from './thumbnails.service';

@Module({
  imports: [TypeOrmModule.forFeature([EventImageThumbnailEntity, GalleryFaceThumbnailEntity])],
  controllers: [ThumbnailsController],
  providers: [ThumbnailRepository, ThumbnailsService],
})
export class ThumbnailsModule {}

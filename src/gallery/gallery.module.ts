import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module';
import { GalleryChangeEntity } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryIdentityEntity } from './entities/gallery-identity.entity';
import { GalleryAdminService } from './gallery-admin.service';
import { GalleryController } from './gallery.controller';
import { GalleryRepository } from './gallery.repository';
import { GalleryService } from './gallery.service';

/** The platform's copy of the face gallery, fed by the want_action hooks (as internal events). */
@Module({
  imports: [TypeOrmModule.forFeature([GalleryIdentityEntity, GalleryFaceEntity, GalleryChangeEntity]), AdminModule],
  controllers: [GalleryController],
  providers: [GalleryRepository, GalleryService, GalleryAdminService],
})
export class GalleryModule {}

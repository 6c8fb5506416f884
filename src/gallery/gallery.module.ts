import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { GalleryAdminService } from './gallery-admin.service';
import { GalleryController } from './gallery.controller';
import { GalleryRepository } from './gallery.repository';
import { GalleryService } from './gallery.service';

/** The platform's copy of the face gallery, fed by the want_action hooks (as internal events). */
@Module({
  imports: [AdminModule],
  controllers: [GalleryController],
  providers: [GalleryRepository, GalleryService, GalleryAdminService],
})
export class GalleryModule {}

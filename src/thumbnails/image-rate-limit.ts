import { ExecutionContext, SetMetadata } from '@nestjs/common';

const IMAGE_ROUTE = 'se3:image-route';

/**
 * Marks a route that serves image bytes: it is rate-limited by the `images` throttler
 * (ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE) instead of the `admin` one, since one console page shows
 * a hundred faces.
 */
export const ImageRoute = () => SetMetadata(IMAGE_ROUTE, true);

export const isImageRoute = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(IMAGE_ROUTE, context.getHandler()) === true;

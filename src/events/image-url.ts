import type { ImageKind } from './dto/history-event.dto';

/**
 * Where an image of an event is served (admin API key or console session required): the one
 * place the admin API's answers and the hooks' messages take their links from. `baseUrl`
 * (HOOK_LINK_BASE_URL) makes it absolute.
 */
export const imageUrl = (eventId: string, kind: ImageKind, baseUrl = '') =>
  `${baseUrl}/api/events/${encodeURIComponent(eventId)}/images/${kind}`;

import type { MessageKey } from './i18n';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const CHECKS = new Set(['face_size', 'clarity', 'headpose', 'partial', 'brightness']);

/**
 * The gallery's reasons (English text from the service, src/gallery/gallery.service.ts) in the
 * operator's language; a reason not known here is shown as the service wrote it.
 */
export function reasonText(reason: string, t: Translate): string {
  const quality = /face-quality check .* too poor(?: \(failed: (.*)\))?$/.exec(reason);
  if (quality) {
    const checks = (quality[1] ?? '')
      .split(',')
      .map((check) => check.trim())
      .filter(Boolean)
      .map((check) => (CHECKS.has(check) ? t(`q.${check}` as MessageKey) : check));
    return t('reason.poorQuality', { checks: checks.length > 0 ? t('reason.failedChecks', { checks: checks.join(', ') }) : '' });
  }
  const personType = /^person_type is (\d+), not 4/.exec(reason);
  if (personType) return t('reason.notStranger', { type: t(`pt.${personType[1]}` as MessageKey) ?? personType[1] });
  if (/no face image \(recognize_face\) and no scene photo/.test(reason)) return t('reason.noFace');
  if (/no registered picture \(reg_pic\)/.test(reason)) return t('reason.noRegPic');
  if (/already in the gallery/.test(reason)) return t('reason.already');
  return reason;
}

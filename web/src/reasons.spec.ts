import type { MessageKey } from './i18n';
import { reasonText } from './reasons';

const t = (key: MessageKey, values?: Record<string, string | number>) => (values ? `${key}${JSON.stringify(values)}` : key);

describe("the gallery's reasons in the operator's language", () => {
  it('recognises the reasons the service writes, and keeps others as written', () => {
    expect(
      reasonText("the box's face-quality check (box_fiqa_info.fiqa_result) judged the image too poor (failed: clarity, brightness)", t),
    ).toBe('reason.poorQuality{"checks":"reason.failedChecks{\\"checks\\":\\"q.clarity, q.brightness\\"}"}');
    expect(reasonText("the box's face-quality check (box_fiqa_info.fiqa_result) judged the image too poor", t)).toBe(
      'reason.poorQuality{"checks":""}',
    );
    expect(reasonText('person_type is 1, not 4 (stranger)', t)).toBe('reason.notStranger{"type":"pt.1"}');
    expect(reasonText('the event has no face image (recognize_face) and no scene photo (spot_pic)', t)).toBe('reason.noFace');
    expect(reasonText('this identity is already in the gallery', t)).toBe('reason.already');
    expect(reasonText('something new', t)).toBe('something new');
  });
});

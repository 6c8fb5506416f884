/**
 * `text` with what PostgreSQL cannot store in text or jsonb written out visibly: a NUL as `\u0000`,
 * an unpaired surrogate as `\ud800`. For field paths and messages built from a client's keys,
 * which go into jsonb columns, answers and logs.
 */
export function visibleText(text: string): string {
  if (!text.includes('\u0000') && text.isWellFormed()) return text;
  let visible = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const paired =
      (unit >= 0xd800 && unit <= 0xdbff && isLow(text.charCodeAt(index + 1))) ||
      (isLow(unit) && index > 0 && isHigh(text.charCodeAt(index - 1)));
    if (unit === 0 || (unit >= 0xd800 && unit <= 0xdfff && !paired)) visible += `\\u${unit.toString(16).padStart(4, '0')}`;
    else visible += text[index];
  }
  return visible;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

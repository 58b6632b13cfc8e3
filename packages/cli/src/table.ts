// Plain-text tables for human output (app list, instance list), aligned in terminal columns.

/** Terminal columns a text takes: CJK and full-width characters take two, so Chinese headers still line up. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

/** Left-aligned columns; plain text so it pastes cleanly. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (c: string, i: number) => c + ' '.repeat(Math.max(0, widths[i]! - displayWidth(c)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, i))).join('  ')).join('\n');
}

// "Did you mean": close matches by edit distance, for misspelled endpoint paths and field names.

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Candidates within a third of the input's length in edits, or containing it, closest first. */
export function closeMatches(input: string, candidates: readonly string[], max = 5): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.ceil(needle.length / 3));
  return candidates
    .map((c) => {
      const lower = c.toLowerCase();
      const d = distance(needle, lower);
      // A fragment ("send_text", "qrcode") should find the paths containing it even when far in edits.
      const score = lower.includes(needle) || (needle.length >= 4 && lower.endsWith(needle.replace(/^\/+/, ''))) ? Math.min(d, limit) : d;
      return { c, score };
    })
    .filter((m) => m.score <= limit)
    .sort((a, b) => a.score - b.score || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((m) => m.c);
}

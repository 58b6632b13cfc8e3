// Word error rate for the speech tests: word-level edit distance (substitutions + deletions + insertions) over the
// reference's word count, after the normalisation speech engines disagree on (case, punctuation).

/** Lowercase words without punctuation ("Friday," and "friday" are the same word). */
export function words(text: string): string[] {
  return text.toLowerCase().replace(/[^\p{L}\p{N}'\s]+/gu, ' ').split(/\s+/).filter(Boolean);
}

/** Levenshtein distance over words, in O(n·m) time and O(m) memory. */
export function wordEdits(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = previous[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[hypothesis.length]!;
}

/** WER of one hypothesis; an empty reference has WER 0 for an empty hypothesis and 1 otherwise. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return wordEdits(ref, hyp) / ref.length;
}

/** WER over a corpus: all edits over all reference words (long sentences weigh more, as in the usual definition). */
export function corpusWordErrorRate(pairs: ReadonlyArray<{ reference: string; hypothesis: string }>): number {
  let edits = 0;
  let total = 0;
  for (const { reference, hypothesis } of pairs) {
    const ref = words(reference);
    edits += wordEdits(ref, words(hypothesis));
    total += ref.length;
  }
  return total === 0 ? 0 : edits / total;
}

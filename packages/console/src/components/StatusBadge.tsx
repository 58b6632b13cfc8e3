// A coloured word for an instance's state (stopped / running / online / locked).
import type { StatusWord } from '../instances.ts';

export function StatusBadge({ word }: { word: StatusWord | 'unknown' }) {
  return <span class={`badge badge-${word}`} data-status={word}>{word}</span>;
}

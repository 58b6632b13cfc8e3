// A coloured word for an instance's state (stopped / running / online / locked), or "server unreachable" while the
// server does not answer: the last state read is then history, not the present.
import { useI18n } from '../i18n/use-i18n.tsx';
import type { StatusWord } from '../instances.ts';
import { useReachable } from '../use-reachable.ts';

export type BadgeWord = StatusWord | 'unknown' | 'unreachable';

export function StatusBadge({ word }: { word: StatusWord | 'unknown' }) {
  const { t } = useI18n();
  const shown: BadgeWord = useReachable() ? word : 'unreachable';
  return <span class={`badge badge-${shown}`} data-status={shown} title={t.statusHint[shown]}>{t.status[shown]}</span>;
}

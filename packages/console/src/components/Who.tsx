// A person (or room) by name: the nickname when the sandbox knows it, the wxid on hover (title) and a copy button,
// since the wxid is what API calls need and a touch screen has no hover.
import { useContext, useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { PeopleContext } from '../use-people.ts';

/** Copies text; the Clipboard API needs a secure context, so plain-HTTP LAN addresses fall back to a selection copy. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** The copy button alone, for places where the name itself sits inside another button. */
export function CopyWxid({ wxid }: { wxid: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button type="button" class="icon" title={t.who.copy({ wxid })} aria-label={t.who.copy({ wxid })}
      onClick={(e) => { e.stopPropagation(); void copyText(wxid).then(() => setCopied(true)); }}>
      {copied ? <span class="small">{t.who.copied}</span> : (
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5" /><path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H11" fill="none" stroke="currentColor" stroke-width="1.5" /></svg>
      )}
    </button>
  );
}

/** The name alone (inside a button), or with its copy button. */
export function Who({ wxid, copy = true }: { wxid: string; copy?: boolean }) {
  const names = useContext(PeopleContext);
  if (!wxid) return null;
  return (
    <span class="who" data-wxid={wxid}>
      <span class="who-name" title={wxid}>{names.label(wxid)}</span>
      {copy && <CopyWxid wxid={wxid} />}
    </span>
  );
}

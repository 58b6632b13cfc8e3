// XML made dangerous by a DTD (entity expansion, external entities) or a stray declaration, around otherwise valid documents.

/** Each attack: what goes before the root element, and what goes into the document's text. */
const ATTACKS: Readonly<Record<string, { prolog: (root: string) => string; text: string }>> = {
  // Three levels (1000 "lol"s) rather than ten: a regression must fail the test, not exhaust the machine.
  'billion laughs': {
    prolog: (root) => `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY lol "lol"><!ENTITY lol2 "${'&lol;'.repeat(10)}"><!ENTITY lol3 "${'&lol2;'.repeat(10)}">]>`,
    text: '&lol3;',
  },
  'external entity': { prolog: (root) => `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, text: '&xxe;' },
  'external DTD': { prolog: (root) => `<!DOCTYPE ${root} SYSTEM "file:///etc/passwd">`, text: 'x' },
  'lower-case doctype after a comment': { prolog: (root) => `<!-- a card --><!doctype ${root}>`, text: 'x' },
  'entity declared in the content': { prolog: () => '', text: '<!ENTITY x "y">' },
};

/** `document(text)` under every attack, by name; `document('x')` is the clean original. */
export function hostileVariants(root: string, document: (text: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(ATTACKS).map(([name, attack]) => [name, attack.prolog(root) + document(attack.text)]));
}

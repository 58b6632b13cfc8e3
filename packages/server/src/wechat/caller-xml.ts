// The one door for XML a client hands in (message XML, Moments TimelineObjects, quoted or pinned content): its size,
// no DTD declarations, well-formedness, and only then fast-xml-parser.
import { invalidField } from '@wxgate/contract';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The largest XML content WeChat takes in one message (bytes). */
export const MAX_XML_BYTES = 65_536;

/** A request field: its name, or its path into a nested object (`['refer_msg', 'content']`). */
export type XmlField = string | readonly (string | number)[];

const PLAIN_OPTIONS = {
  ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true,
} as const;

/**
 * Document order kept: elements, attributes, CDATA and comments where they were, so XML can be rebuilt as written
 * (an XMLBuilder with the same options does that).
 */
export const ORDERED_XML_OPTIONS = {
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', cdataPropName: '__cdata', commentPropName: '#comment',
  parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true,
} as const;

const plainParser = new XMLParser(PLAIN_OPTIONS);
const orderedParser = new XMLParser(ORDERED_XML_OPTIONS);

/** One node of the order-preserving tree: `{ name: children }` plus `':@'` attributes, or `{ '#text': … }`. */
export type XmlNode = Record<string, unknown>;

/** Sections whose text is not markup, skipped when looking for declarations. */
const OPAQUE: ReadonlyArray<readonly [string, string]> = [['<![CDATA[', ']]>'], ['<!--', '-->'], ['<?', '?>']];

/**
 * A 422 on `field` if `text` declares anything (`<!DOCTYPE …>`, `<!ENTITY …>`, `<!ELEMENT …>`) outside CDATA, comments
 * and processing instructions. WeChat's XML never has a DTD; one only serves entity expansion ("billion laughs") and
 * external entities (`SYSTEM "file:///etc/passwd"`) against whoever parses it next — wxgate, or the bots it delivers to.
 * For text that carries XML but is stored or quoted rather than parsed; readXml applies it first.
 */
export function refuseXmlDeclarations(text: string, field: XmlField): void {
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const opaque = OPAQUE.find(([open]) => text.startsWith(open, i));
    if (opaque) {
      const end = text.indexOf(opaque[1], i + opaque[0].length);
      // Unterminated: the rest is inside it (and not well-formed, which the parsing door refuses).
      if (end === -1) return;
      i = end;
    } else if (text.startsWith('<!', i)) {
      throw invalidField(field, 'XML declarations (<!DOCTYPE …>, <!ENTITY …>) are not accepted; WeChat XML has none', 'xml_error');
    }
  }
}

/** The checks every piece of caller XML passes before it is parsed: size, no declarations, well-formed. */
function admit(xml: string, field: XmlField): void {
  if (Buffer.byteLength(xml) > MAX_XML_BYTES) throw invalidField(field, `the XML is longer than ${MAX_XML_BYTES} bytes`);
  refuseXmlDeclarations(xml, field);
  const result = XMLValidator.validate(xml);
  if (result !== true) throw invalidField(field, `not well-formed XML: ${result.err.msg} (line ${result.err.line}, column ${result.err.col})`, 'xml_error');
}

function parse<T>(parser: XMLParser, xml: string, field: XmlField): T {
  admit(xml, field);
  try {
    return parser.parse(xml) as T;
  } catch (error) {
    // The validator passed it, so this is the parser's own limit; still the caller's XML, never a 500.
    throw invalidField(field, `XML the parser refuses: ${(error as Error).message}`, 'xml_error');
  }
}

/** Caller XML as plain objects (attributes and child elements as keys, text as strings), or a 422 on `field`. */
export function readXml(xml: string, field: XmlField): Record<string, unknown> {
  return parse<Record<string, unknown>>(plainParser, xml, field);
}

/** Caller XML in document order (ORDERED_XML_OPTIONS), or a 422 on `field`. */
export function readXmlInOrder(xml: string, field: XmlField): XmlNode[] {
  return parse<XmlNode[]>(orderedParser, xml, field);
}

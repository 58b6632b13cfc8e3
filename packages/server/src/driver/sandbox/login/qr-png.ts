// QR codes as WeChat hands them out: a PNG (base64) that decodes to the login URL or a person's contact-card URL.
import { createHash } from 'node:crypto';

/** qrcode, loaded with the first QR (not on every start). */
let qrcodeModule: Promise<typeof import('qrcode')> | undefined;

/** The login QR's text: the URL the phone opens. */
export const loginQrContent = (uuid: string): string => `http://weixin.qq.com/x/${uuid}`;

/** A person's contact-card URL (what their personal QR code encodes); stable per person. */
export function contactCardUrl(appId: string, wxid: string): string {
  const token = createHash('sha256').update(`${appId}\0${wxid}`).digest('base64url').slice(0, 23);
  return `https://u.wechat.com/${token}`;
}

/** Module colours of the personal-QR styles; all dark enough on white for any scanner. */
const STYLE_COLOURS = ['#000000', '#06ad56', '#1f4e8c', '#6b2d8f', '#8c1f1f'] as const;

/** Renders `text` as a PNG; `style` picks the colour of the personal QR card, as WeChat's styles do. */
export async function qrPng(text: string, style = 0): Promise<Buffer> {
  const dark = STYLE_COLOURS[Math.abs(style) % STYLE_COLOURS.length]!;
  // CommonJS: the module object is the API (its typings have no default export).
  const QRCode = await (qrcodeModule ??= import('qrcode'));
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 280, color: { dark, light: '#ffffff' } });
}

// Names of the callback notify types and 1010 msg types, for display: the SDK's tables (generated from the contract),
// turned around; the contract itself would bundle TypeBox and every endpoint.

import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/sdk';

const byNumber = (table: Readonly<Record<string, number>>): Readonly<Record<number, string>> =>
  Object.fromEntries(Object.entries(table).map(([name, value]) => [value, name]));

export const NOTIFY_NAMES = byNumber(NOTIFY_TYPES);
export const MSG_NAMES = byNumber(MSG_TYPES);

export const notifyName = (type: number): string => NOTIFY_NAMES[type] ?? (type === 0 ? 'Test' : 'Unknown');

/** QR login states as check_login_qrcode and 1002 report them. */
export const QR_STATUS: Readonly<Record<number, string>> = { 0: 'waiting for scan', 1: 'scanned', 2: 'confirmed', 4: 'expired or cancelled' };

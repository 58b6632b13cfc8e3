// The contract's identifiers of callback notify types and 1010 msg types (NewMsg, Text…), shown beside the translated
// descriptions: the SDK's tables (generated from the contract) turned around; the contract itself would bundle TypeBox.

import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/sdk';
import type { Messages } from './i18n/en.ts';

const byNumber = (table: Readonly<Record<string, number>>): Readonly<Record<number, string>> =>
  Object.fromEntries(Object.entries(table).map(([name, value]) => [value, name]));

export const NOTIFY_NAMES = byNumber(NOTIFY_TYPES);
export const MSG_NAMES = byNumber(MSG_TYPES);

/** The identifier of a notify type, "" for the test callback (0) and types newer than this console. */
export const notifyName = (type: number): string => NOTIFY_NAMES[type] ?? '';

/** What a notify type means, in the console's language. */
export const notifyDescription = (type: number, t: Messages): string =>
  (t.notify as Readonly<Record<number, string>>)[type] ?? t.notifyUnknown;

export const msgTypeDescription = (type: number, t: Messages): string =>
  (t.msgType as Readonly<Record<number, string>>)[type] ?? t.msgTypeOther({ type });

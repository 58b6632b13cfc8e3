// The ilink_qrcodes row as a record and back, shared by both engines.
import type { IlinkQrChange, IlinkQrRecord, IlinkQrStatus } from '../ilink-ports.ts';

export const ilinkQrFromRow = (r: Record<string, unknown>): IlinkQrRecord => ({
  codeHash: r.code_hash as string, createdAt: Number(r.created_at), status: r.status as IlinkQrStatus,
  reported: (r.reported as IlinkQrStatus | null) ?? null, appId: (r.app_id as string | null) ?? null, guid: (r.guid as string | null) ?? null,
  botId: (r.bot_id as string | null) ?? null, tokenNonce: (r.token_nonce as string | null) ?? null,
  verifyCodeHash: (r.verify_code_hash as string | null) ?? null, verifyFailures: Number(r.verify_failures), redirectHost: (r.redirect_host as string | null) ?? null,
  presentedBotIds: JSON.parse(r.presented_bot_ids as string) as string[],
});

/** The columns of a record, in ILINK_QR_COLUMNS order. */
export const ILINK_QR_COLUMNS = ['code_hash', 'created_at', 'status', 'reported', 'app_id', 'guid', 'bot_id', 'token_nonce', 'verify_code_hash', 'verify_failures', 'redirect_host', 'presented_bot_ids'] as const;
export const ilinkQrValues = (q: IlinkQrRecord): unknown[] => [
  q.codeHash, q.createdAt, q.status, q.reported, q.appId, q.guid, q.botId, q.tokenNonce, q.verifyCodeHash, q.verifyFailures, q.redirectHost, JSON.stringify(q.presentedBotIds),
];

const CHANGE_COLUMNS: Readonly<Record<keyof IlinkQrChange, string>> = {
  status: 'status', reported: 'reported', appId: 'app_id', guid: 'guid', botId: 'bot_id', tokenNonce: 'token_nonce',
  verifyCodeHash: 'verify_code_hash', verifyFailures: 'verify_failures', redirectHost: 'redirect_host',
};

/** A change as column/value pairs (only the keys given). */
export const ilinkQrChangeColumns = (change: IlinkQrChange): Array<[string, unknown]> =>
  (Object.keys(change) as Array<keyof IlinkQrChange>).filter((k) => k in CHANGE_COLUMNS && change[k] !== undefined).map((k) => [CHANGE_COLUMNS[k], change[k]]);

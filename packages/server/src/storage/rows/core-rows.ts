// Apps and instances from SQL rows, for every SQL store (the same columns; flags are 0/1, times unix ms numbers).
import { DEFAULT_CALLBACK_OPTIONS, type AppRecord, type InstanceRecord } from '../ports.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';

type Row = Record<string, unknown>;

export const appFromRow = (r: Row): AppRecord => ({
  id: r.id as string,
  appKey: r.app_key as string,
  name: r.name as string,
  secretHash: r.secret_hash as string,
  mode: r.mode as AppRecord['mode'],
  disabled: r.disabled === 1,
  createdAt: r.created_at as number,
});

export const instanceFromRow = (r: Row, secrets: SecretColumns): InstanceRecord => ({
  guid: r.guid as string,
  appId: r.app_id as string,
  runState: r.run_state as InstanceRecord['runState'],
  loginWxid: (r.login_wxid as string | null) ?? null,
  clientType: r.client_type as number,
  notifyUrl: r.notify_url as string,
  bridge: r.bridge as string,
  proxy: secrets.open(r.proxy as string, secretContext.proxy(r.guid as string)),
  isLongProxy: r.is_long_proxy === 1,
  isLoginProxy: r.is_login_proxy === 1,
  syncHistoryMsg: r.sync_history_msg === 1,
  autoStart: r.auto_start === 1,
  payload: r.payload as string,
  callbackOptions: { ...DEFAULT_CALLBACK_OPTIONS, ...(JSON.parse(r.callback_options as string) as object) },
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

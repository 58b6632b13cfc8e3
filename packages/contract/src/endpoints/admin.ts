// wxgate's /admin/* extension: apps (tenants), their keys and response mode, guarded by WXGATE_ADMIN_TOKEN.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, EmptyData } from '../define.ts';
import { UInt32, UnixSeconds } from '../integers.ts';

export const ResponseMode = Type.Union([Type.Literal('standard'), Type.Literal('raw')], {
  description: '`raw` (the default): bodies as the hosted vendor service returns them, business failures HTTP 200 with the code in the body; '
    + '`standard`: {code,message,errcode,errmsg,data} with the precise HTTP status (docs/errors.md)',
  examples: ['raw'],
});

/** An app's credentials as wxgate issues them: `wxg_` + 16 characters, and a 43-character secret. */
export const EXAMPLE_APP = { key: 'wxg_Kq7GaXyZ40c9qHa1', secret: 'Xb3v9Q2mT7kLp0sW4dF8hJ1nR6cY5gA2eU9iO3zK7qM', name: 'acme-crm' } as const;
const { key: EXAMPLE_APP_KEY, secret: EXAMPLE_APP_SECRET, name: EXAMPLE_APP_NAME } = EXAMPLE_APP;

const AppKey = Type.String({ minLength: 1, description: 'the app to act on', examples: [EXAMPLE_APP_KEY] });

const AppInfo = Type.Object({
  app_key: Type.String({ examples: [EXAMPLE_APP_KEY] }),
  name: Type.String({ examples: [EXAMPLE_APP_NAME] }),
  mode: ResponseMode,
  disabled: Type.Boolean(),
  created_at: UnixSeconds(),
  instance_count: UInt32({ examples: [3] }),
});

const AppCredentials = Type.Object({
  app_key: Type.String({ examples: [EXAMPLE_APP_KEY] }),
  app_secret: Type.String({ description: 'shown once; only a hash is stored', examples: [EXAMPLE_APP_SECRET] }),
});

export const adminEndpoints = defineModule('admin', [
  endpoint({
    path: '/admin/create_app',
    module: 'admin',
    summaryZh: '创建应用',
    summaryEn: 'Create an app (tenant) and its credentials',
    kind: 'wrapper',
    scope: 'admin',
    origin: 'wxgate',
    request: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 100, examples: [EXAMPLE_APP_NAME] }),
      mode: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('raw')], {
        description: 'the response mode; default the server\'s WXGATE_RESPONSE_MODE (raw: the vendor\'s wire)',
        examples: ['raw'],
      })),
    }),
    response: Type.Composite([AppCredentials, Type.Object({ name: Type.String({ examples: [EXAMPLE_APP_NAME] }), mode: ResponseMode })]),

  }),
  endpoint({
    path: '/admin/list_apps',
    module: 'admin',
    summaryZh: '应用列表',
    summaryEn: 'List apps (never their secrets)',
    kind: 'wrapper',
    scope: 'admin',
    origin: 'wxgate',
    request: Type.Object({}),
    response: Type.Array(AppInfo),
  }),
  endpoint({
    path: '/admin/disable_app',
    module: 'admin',
    summaryZh: '停用应用',
    summaryEn: 'Disable an app: its calls answer APP_DISABLED until enabled again',
    kind: 'wrapper',
    scope: 'admin',
    origin: 'wxgate',
    request: Type.Object({ app_key: AppKey }),
    response: EmptyData,
  }),
  endpoint({
    path: '/admin/enable_app',
    module: 'admin',
    summaryZh: '启用应用',
    summaryEn: 'Enable a disabled app',
    kind: 'wrapper',
    scope: 'admin',
    origin: 'wxgate',
    request: Type.Object({ app_key: AppKey }),
    response: EmptyData,
  }),
  endpoint({
    path: '/admin/rotate_app_secret',
    module: 'admin',
    summaryZh: '重置应用密钥',
    summaryEn: 'Issue a new app_secret; the old one stops working at once',
    kind: 'wrapper',
    scope: 'admin',
    origin: 'wxgate',
    request: Type.Object({ app_key: AppKey }),
    response: AppCredentials,
  }),
  endpoint({
    path: '/admin/set_app_mode',
    module: 'admin',
    summaryZh: '设置响应模式',
    summaryEn: 'Choose the response envelope of an app: standard or raw (vendor-exact)',
    kind: 'wrapper',
    scope: 'admin',
    origin: 'wxgate',
    request: Type.Object({ app_key: AppKey, mode: ResponseMode }),
    response: EmptyData,
  }),
] as const);

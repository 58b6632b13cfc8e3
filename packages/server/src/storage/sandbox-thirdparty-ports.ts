// The storage port of the sandbox world's third-party apps (mini-programs, OAuth apps), their one-time codes and
// mini-program short links; part of the world repository (sandbox-ports.ts).

/** A mini-program or an OAuth (web / official-account / QR-connect) app registered in the world. */
export interface SandboxThirdPartyApp {
  readonly appId: string;
  /** WeChat's appid (wx + 16 hex) */
  readonly appid: string;
  readonly kind: 'mini_program' | 'oauth';
  readonly name: string;
  readonly iconUrl: string;
  /** Mini-program pages (the first is the home page); empty for OAuth apps. */
  readonly pages: readonly string[];
  /** OAuth apps: the registered redirect URI (its host is the authorized domain); "" for mini-programs. */
  readonly redirectUri: string;
  /** OAuth apps: the scopes it may ask for (snsapi_base, snsapi_userinfo, snsapi_login). */
  readonly scopes: readonly string[];
  readonly createdAt: number;
}

/** A one-time code a person gave an app (wx.login, or a confirmed OAuth); redeemed at most once. */
export interface SandboxThirdPartyCode {
  readonly appId: string;
  readonly code: string;
  readonly appid: string;
  readonly wxid: string;
  readonly kind: 'js_login' | 'oauth';
  /** Granted scopes (OAuth), comma-separated; "" for js_login. */
  readonly scope: string;
  readonly expiresAt: number;
  readonly redeemed: boolean;
}

/** A mini-program short link (#小程序://name/token, mp://token) and the page it opens. */
export interface SandboxWxaShortLink {
  readonly appId: string;
  readonly token: string;
  readonly appid: string;
  readonly path: string;
  readonly title: string;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface SandboxThirdPartyAppRepository {
  create(app: SandboxThirdPartyApp): Promise<void>;
  get(appId: string, appid: string): Promise<SandboxThirdPartyApp | undefined>;
  putCode(code: Omit<SandboxThirdPartyCode, 'redeemed'>): Promise<void>;
  getCode(appId: string, code: string): Promise<SandboxThirdPartyCode | undefined>;
  /** Marks a code redeemed; answers false when it already was (so two redemptions never both succeed). */
  redeemCode(appId: string, code: string): Promise<boolean>;
  putShortLink(link: SandboxWxaShortLink): Promise<void>;
  getShortLink(appId: string, token: string): Promise<SandboxWxaShortLink | undefined>;
}

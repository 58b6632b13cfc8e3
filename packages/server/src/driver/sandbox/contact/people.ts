// People of the sandbox world: creating one (with plausible defaults for what the caller leaves out) and showing one.
import { ApiError, invalidField, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import type { SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { WorldChange } from '../world.ts';

export type NewPersonRequest = Omit<RequestOf<Modules['sandbox']['/sandbox/people/create']>, 'friends'>;
export type PersonView = ResponseOf<Modules['sandbox']['/sandbox/people/create']>;

/** WeChat's own system accounts and ticket prefixes: never a person's username. */
const RESERVED_USERNAMES = new Set(['fmessage', 'weixin', 'filehelper', 'medianote', 'floatbottle', 'newsapp', 'qqmail', 'qmessage', 'tmessage']);
const RESERVED_PREFIXES = ['gh_', 'v3_', 'v4_'];

const DEFAULT_NICKNAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄婷', '周杰', '吴昊', 'Alice', 'Bob', 'Carol', 'David'];
/** Places as WeChat writes them in profiles (pinyin / English names). */
const DEFAULT_PLACES: ReadonlyArray<readonly [string, string]> = [
  ['Guangdong', 'Shenzhen'], ['Beijing', 'Haidian'], ['Shanghai', 'Pudong New District'], ['Zhejiang', 'Hangzhou'], ['Sichuan', 'Chengdu'],
];

/**
 * A nickname for someone created without one, unused in the app's world so two default people are never confused:
 * a name from the list (starting at a random one, as before) while one is free, then the first of them with the lowest
 * free number ("张伟2", "Alice3").
 */
async function defaultNickname(change: WorldChange): Promise<string> {
  const { appId, ids, world } = change;
  // One draw, as the plain pick before: the random stream (wxids and avatars of later people) stays as it was.
  const start = ids.pick(DEFAULT_NICKNAMES.map((_, i) => i));
  const order = [...DEFAULT_NICKNAMES.slice(start), ...DEFAULT_NICKNAMES.slice(0, start)];
  const taken = new Set(await world.people.nicknamesIn(appId, order));
  const free = order.find((name) => !taken.has(name));
  if (free !== undefined) return free;
  const numbered = await world.people.nicknamesStartingWith(appId, order[0]!);
  const numbers = new Set(numbered.map((name) => name.slice(order[0]!.length)).filter((rest) => /^[1-9]\d*$/.test(rest)).map(Number));
  let n = 2;
  while (numbers.has(n)) n++;
  return `${order[0]}${n}`;
}

/** Adds a person to the world; `kind` is `account` for someone who scans a login QR, else `simulated`. */
export async function createPerson(change: WorldChange, input: NewPersonRequest, kind: SandboxPerson['kind']): Promise<SandboxPerson> {
  const { appId, ids, world } = change;
  let wxid = input.wxid;
  if (wxid !== undefined) {
    const lower = wxid.toLowerCase();
    if (RESERVED_USERNAMES.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p))) {
      throw invalidField('wxid', `${wxid} is reserved by WeChat (system accounts, gh_ official accounts, v3_/v4_ tickets); choose another`);
    }
    if ((await world.people.get(appId, wxid)) || (await world.people.findBy(appId, 'alias', wxid))) {
      throw new ApiError('SANDBOX_PERSON_EXISTS', `${wxid} is already taken in your app's sandbox world (as a wxid or a WeChat id)`, { wxid });
    }
  } else {
    do wxid = ids.wxid();
    while (await world.people.get(appId, wxid));
  }
  const alias = input.alias ?? '';
  if (alias && ((await world.people.findBy(appId, 'alias', alias)) || (await world.people.get(appId, alias)))) {
    throw new ApiError('SANDBOX_PERSON_EXISTS', `the WeChat id ${alias} is already taken in your app's sandbox world`, { alias });
  }
  for (const key of ['phone', 'qq'] as const) {
    const value = input[key] ?? '';
    if (value && (await world.people.findBy(appId, key, value))) {
      throw new ApiError('SANDBOX_PERSON_EXISTS', `${key} ${value} already belongs to someone in your app's sandbox world`, { [key]: value });
    }
  }
  const [province, city] = ids.pick(DEFAULT_PLACES);
  const avatar = input.avatar_url ?? `https://wx.qlogo.cn/mmhead/ver_1/${ids.avatarToken()}`;
  const nickname = input.nickname ?? (await defaultNickname(change));
  const person: SandboxPerson = {
    appId,
    wxid,
    alias,
    nickname,
    sex: input.sex ?? ids.pick([1, 2]),
    signature: input.signature ?? '',
    country: input.country ?? 'CN',
    province: input.province ?? province,
    city: input.city ?? city,
    phone: input.phone ?? '',
    qq: input.qq ?? '',
    // qlogo serves sizes by the last path segment: /0 full size, /132 the thumbnail.
    bigHeadImgUrl: input.avatar_url ?? `${avatar}/0`,
    smallHeadImgUrl: input.avatar_url ?? `${avatar}/132`,
    needsVerification: input.needs_verification ?? true,
    kind,
    createdAt: change.now,
  };
  await world.people.insert(person);
  return person;
}

/** A person as the control API shows them. */
export async function personView(change: WorldChange, person: SandboxPerson): Promise<PersonView> {
  return {
    wxid: person.wxid,
    alias: person.alias,
    nickname: person.nickname,
    sex: person.sex,
    signature: person.signature,
    country: person.country,
    province: person.province,
    city: person.city,
    phone: person.phone,
    qq: person.qq,
    big_head_img_url: person.bigHeadImgUrl,
    small_head_img_url: person.smallHeadImgUrl,
    needs_verification: person.needsVerification,
    kind: person.kind,
    logged_in_guid: (await change.instanceOf(person.wxid)) ?? '',
    contact_count: await change.world.contacts.count(change.appId, person.wxid),
    created_at: Math.floor(person.createdAt / 1000),
  };
}

// WeChat's advice for an account on a new device — no Moments posts, mass sending or friend adds in the first 3 days —
// as a rule the deployment can turn on (WXGATE_NEW_DEVICE_RISK_CONTROL; off by default).
import { ApiError } from '@wxgate/contract';
import type { SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { WorldChange } from '../world.ts';

/** How long a device counts as new for an account after its first login there. */
export const NEW_DEVICE_PERIOD_MS = 3 * 24 * 3600_000;

/** What the rule holds back, in the words of the refusal. */
const ACTIONS = { moments: 'post to Moments', mass_send: 'send mass messages', friend_add: 'add friends' } as const;
export type RiskyAction = keyof typeof ACTIONS;

/**
 * Refuses `action` while the rule is on and `me` first logged in on this instance (the device) less than 3 days ago.
 * The refusal carries WeChat's ret -24 (MM_ERR_SPAM) and when the action becomes possible.
 */
export async function requireSettledDevice(change: WorldChange, guid: string, me: SandboxPerson, action: RiskyAction): Promise<void> {
  if (!change.rules.newDeviceRiskControl) return;
  const firstLogin = await change.world.deviceLogins.firstLogin(guid, me.wxid);
  if (firstLogin === undefined) return;
  const allowedAfter = firstLogin + NEW_DEVICE_PERIOD_MS;
  if (change.now >= allowedAfter) return;
  const when = new Date(allowedAfter).toISOString();
  const message = `${me.wxid} logged in on this device at ${new Date(firstLogin).toISOString()}; WeChat advises not to ${ACTIONS[action]} on a new device for 3 days, and risk control is on: try again after ${when} (ret -24)`;
  throw new ApiError('NEW_DEVICE_RISK', message, {
    baseResponse: { ret: -24, errMsg: { string: message } },
    allowed_after: Math.floor(allowedAfter / 1000),
  });
}

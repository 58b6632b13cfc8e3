// Instance status as the console shows it: get_client_status's number and rate-limit lock as one word.
import type { WxgateClient } from '@wxgate/sdk';

export interface ClientStatus {
  status: number;
  login_wxid?: string;
  notify_url?: string;
  proxy?: string;
  bridge?: string;
  client_type?: number;
  rate_limit?: { limit: number; used: number; locked: boolean; unlock_time: number | null };
}

export type StatusWord = 'stopped' | 'running' | 'online' | 'locked';

export function statusWord(s: ClientStatus): StatusWord {
  if (s.rate_limit?.locked) return 'locked';
  return s.status === 2 ? 'online' : s.status === 1 ? 'running' : 'stopped';
}

export const getStatus = (client: WxgateClient, guid: string) => client.request('/client/get_client_status', { guid }) as Promise<ClientStatus>;

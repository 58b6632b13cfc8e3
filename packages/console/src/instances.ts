// Instance status as the console shows it: get_client_status's number and rate-limit lock as one word.
import type { ClientGetClientStatusResponse, WxgateClient } from '@wxgate/sdk';

export type ClientStatus = ClientGetClientStatusResponse;

export type StatusWord = 'stopped' | 'running' | 'online' | 'locked';

export function statusWord(s: ClientStatus): StatusWord {
  if (s.rate_limit?.locked) return 'locked';
  return s.status === 2 ? 'online' : s.status === 1 ? 'running' : 'stopped';
}

export const getStatus = (client: WxgateClient, guid: string) => client.call('/client/get_client_status', { guid });

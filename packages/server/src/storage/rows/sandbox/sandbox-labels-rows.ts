// Sandbox contact labels from SQL rows, for every SQL store (the same columns).
import type { SandboxLabel } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const labelFromRow = (r: Row): SandboxLabel => ({
  appId: r.app_id as string,
  ownerWxid: r.owner_wxid as string,
  labelId: r.label_id as number,
  name: r.name as string,
});

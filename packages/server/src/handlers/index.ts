// The complete handler table: one entry per contract path (a missing one fails to compile).
import { modules } from '@wxgate/contract';
import { adminHandlers } from './admin.ts';
import { cdnHandlers } from './cdn.ts';
import { clientHandlers } from './client.ts';
import { eventsHandlers } from './events.ts';
import { wechatyHandlers } from './wechaty.ts';
import { ilinkHandlers } from './ilink.ts';
import { viaDriver } from './driver-backed.ts';
import type { HandlerTable } from './handler.ts';
import { sandboxHandlers } from './sandbox.ts';

export const handlers: HandlerTable = {
  ...clientHandlers,
  ...adminHandlers,
  ...sandboxHandlers,
  ...eventsHandlers,
  ...wechatyHandlers,
  ...ilinkHandlers,
  ...viaDriver(modules.login),
  ...viaDriver(modules.user),
  ...viaDriver(modules.contact),
  ...viaDriver(modules.room),
  ...viaDriver(modules.msg),
  ...viaDriver(modules.cloud),
  ...viaDriver(modules.label),
  ...viaDriver(modules.openim),
  ...viaDriver(modules.sns),
  ...viaDriver(modules.app),
  ...viaDriver(modules.other),
  ...cdnHandlers,
};

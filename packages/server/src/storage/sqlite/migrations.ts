// Numbered schema migrations for the embedded SQLite store; append only, never edit a shipped one (one file each).
import { migration as v1 } from './migrations/v001-apps-instances-locks.ts';
import { migration as v2 } from './migrations/v002-events-outbox.ts';
import { migration as v3 } from './migrations/v003-sandbox-world.ts';
import { migration as v4 } from './migrations/v004-sandbox-rooms-labels-moments.ts';
import { migration as v5 } from './migrations/v005-sandbox-messages.ts';
import { migration as v6 } from './migrations/v006-relay.ts';
import { migration as v7 } from './migrations/v007-media.ts';
import { migration as v8 } from './migrations/v008-sandbox-apps-openim.ts';
import { migration as v9 } from './migrations/v009-voice-transcription.ts';
import { migration as v10 } from './migrations/v010-sandbox-offline-sync.ts';
import { migration as v11 } from './migrations/v011-instance-login-index.ts';
import { migration as v12 } from './migrations/v012-rate-limit-calls.ts';
import { migration as v13 } from './migrations/v013-sandbox-people-nicknames.ts';
import { migration as v14 } from './migrations/v014-send-pacing.ts';
import { migration as v15 } from './migrations/v015-paced-sends-cluster.ts';
import { migration as v16 } from './migrations/v016-wechaty-tokens.ts';
import { migration as v17 } from './migrations/v017-ilink-bots.ts';
import { migration as v18 } from './migrations/v018-ilink-qrcodes.ts';
import { migration as v19 } from './migrations/v019-ilink-links.ts';
import { migration as v20 } from './migrations/v020-relay-message-callbacks.ts';
import { migration as v21 } from './migrations/v021-ilink-qr-redirect.ts';
import { migration as v22 } from './migrations/v022-ilink-voices.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19, v20, v21, v22];

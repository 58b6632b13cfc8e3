// Upgrading a store to migration 20 keeps the relay's dedup: a message whose callback was taken in (its msg: key in
// relay_dedup) stays a repeat, one only a send's answer knew stays new, and the moved keys leave relay_dedup.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../migrations.ts';
import { SqliteStore } from '../sqlite-store.ts';

test('migration 20 marks messages whose callbacks were taken in, and drops their dedup keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-v20-'));
  try {
    const file = join(dir, 'wxgate.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
    for (const migration of MIGRATIONS.filter((m) => m.version < 20)) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.version, migration.name, 1);
    }
    const message = db.prepare(`INSERT INTO relay_messages (guid, msg_id, direction, from_username, to_username, msg_type, create_time, data)
      VALUES ('g1', ?, 'in', 'wxid_b', 'wxid_a', 1, 1, ?)`);
    message.run('called', '{"msg_id":"called"}');
    message.run('answered', '{"newMsgId":"answered"}');
    const key = db.prepare("INSERT INTO relay_dedup (guid, key, seen_at) VALUES ('g1', ?, 1)");
    key.run('msg:called');
    key.run('wid:delivery-1');
    db.close();

    const store = new SqliteStore(file);
    try {
      const again = (msgId: string) => store.relay.mirror.takeInMessage({ guid: 'g1', msgId, direction: 'in', fromUsername: 'wxid_b', toUsername: 'wxid_a', msgType: 1, createTime: 1, data: { msg_id: msgId } });
      assert.equal(await again('called'), false, 'taken in before the upgrade: a repeat');
      assert.equal(await again('answered'), true, 'known only from an answer: new');
      assert.equal(await store.relay.dedup.seenAt('g1', 'msg:called'), undefined, 'the message key moved to the archive row');
      assert.equal(await store.relay.dedup.seenAt('g1', 'wid:delivery-1'), 1, 'other keys stay');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

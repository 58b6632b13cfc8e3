// The built CLI speaks the terminal's language: LANG=zh_CN.UTF-8 gives Chinese help, progress, results and errors,
// LANG=C and en_US.UTF-8 English; LC_ALL overrides LANG; --json documents are the same in both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCli, cliEnv, run, start, startLive, type Live } from './helpers.ts';

let live: Live;
const ZH = { LANG: 'zh_CN.UTF-8' };
const CJK = /[\u4e00-\u9fff]/;

before(async () => {
  buildCli();
  live = await startLive();
});
after(() => live?.close());

const env = (extra: Record<string, string>) => cliEnv({ WXGATE_URL: live.url, DATA_DIR: live.dataDir, ...extra });

describe('CLI language', () => {
  test('help: Chinese headings, descriptions and exit codes under zh_CN; English under C and en_US', async () => {
    const zh = await run(['--help'], env(ZH));
    assert.equal(zh.code, 0, zh.stderr);
    for (const text of ['用法：', '选项：', '命令：', '显示命令帮助', '服务地址', '退出码：0 成功', '连不上服务']) assert.ok(zh.stdout.includes(text), `${text} in\n${zh.stdout}`);
    assert.doesNotMatch(zh.stdout, /Usage:|Options:|display help/);
    for (const lang of ['C', 'en_US.UTF-8']) {
      const en = await run(['--help'], env({ LANG: lang }));
      assert.equal(en.code, 0, en.stderr);
      assert.match(en.stdout, /Usage: wxgate/);
      assert.match(en.stdout, /Exit codes: 0 ok, 1 API error/);
      assert.doesNotMatch(en.stdout, CJK, `LANG=${lang}`);
    }
    const sub = await run(['instance', '--help'], env(ZH));
    assert.match(sub.stdout, /用法： wxgate instance/);
    assert.match(sub.stdout, /列出本应用的实例/);
    const leaf = await run(['login', '--help'], env(ZH));
    assert.match(leaf.stdout, /两次查询状态的间隔秒数.*（默认："2"）/);
  });

  test('LC_ALL and LC_MESSAGES win over LANG', async () => {
    const zh = await run(['--help'], env({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }));
    assert.match(zh.stdout, /用法：/);
    const en = await run(['--help'], env({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }));
    assert.match(en.stdout, /Usage:/);
  });

  test('usage errors: commander\'s own and the CLI\'s, with exit code 2 in both languages', async () => {
    const unknown = await run(['instanc'], env(ZH));
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /错误：未知命令 'instanc'/);
    assert.match(unknown.stderr, /你是不是想输入 instance/);
    assert.match(unknown.stderr, /加 --help 查看用法/);
    const missing = await run(['instance', 'status'], env(ZH));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /缺少必需参数 'guid'/);
    const noCreds = await run(['instance', 'list'], cliEnv({ ...ZH, WXGATE_URL: live.url, DATA_DIR: '/nonexistent-wxgate-dir' }));
    assert.equal(noCreds.code, 2);
    assert.match(noCreds.stderr, /没有应用凭据/);
    const exactlyOne = await run(['send', 'g', 'filehelper'], env(ZH));
    assert.equal(exactlyOne.code, 2);
    assert.match(exactlyOne.stderr, /只能给出以下其中一项/);
    const en = await run(['instanc'], env({ LANG: 'C' }));
    assert.match(en.stderr, /error: unknown command 'instanc'\n\(Did you mean instance\?\)/);
  });

  test('results, progress and API errors', async () => {
    const created = await run(['instance', 'create'], env(ZH));
    assert.equal(created.code, 0, created.stderr);
    const guid = created.stdout.trim();
    const list = await run(['instance', 'list'], env(ZH));
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^GUID +状态 +登录账号$/m);
    assert.match(list.stdout, new RegExp(`^${guid} +运行中 +-$`, 'm'));
    const status = await run(['instance', 'status', guid], env(ZH));
    assert.match(status.stdout, /状态： +1 运行中（未登录）/);
    assert.match(status.stdout, /调用频率：60 秒内 \d+\/100 次/);
    const notify = await run(['instance', 'notify', guid, 'https://example.com/hook'], env(ZH));
    assert.equal(notify.code, 0, notify.stderr);
    assert.equal(notify.stdout.trim(), `实例 ${guid} 的回调地址已设为 https://example.com/hook`);
    const unknown = await run(['instance', 'status', '00000000-0000-4000-8000-000000000000'], env(ZH));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^wxgate：错误 404\d\d：/);
    const down = await run(['instance', 'list', '--url', 'http://127.0.0.1:1'], env(ZH));
    assert.equal(down.code, 3);
    assert.match(down.stderr, /连不上服务/);
    assert.match(down.stderr, /服务在运行吗？/);

    // the login progress: the QR line on stdout, the spinner's text on stderr (ora prints it when it stops, off a TTY)
    const login = start(['login', guid, '--interval', '1'], env(ZH));
    await login.waitFor(/请用微信扫码：http:\/\/weixin\.qq\.com\/x\//);
    await live.h.direct('/sandbox/login/scan', { guid, action: 'scan' });
    await live.h.direct('/sandbox/login/scan', { guid, action: 'cancel' });
    const done = await login.exited;
    assert.equal(done.code, 1);
    assert.match(done.stderr, /登录已取消；重新运行 `wxgate login/);
  });

  test('--json documents are the same whatever the language', async () => {
    const zh = await run(['instance', 'list', '--json'], env(ZH));
    const en = await run(['instance', 'list', '--json'], env({ LANG: 'C' }));
    assert.deepEqual(JSON.parse(zh.stdout), JSON.parse(en.stdout));
    assert.ok(Array.isArray(JSON.parse(zh.stdout)));
  });
});

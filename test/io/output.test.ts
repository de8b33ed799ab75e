/** checkOutputPath: what can and cannot be an output location, decided before any work, creating nothing. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkOutputPath } from '../../src/io/output.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jscc-output-'));
const file = path.join(root, 'a-file.txt');
writeFileSync(file, 'x');
mkdirSync(path.join(root, 'dir'));
test.after(() => rmSync(root, { recursive: true, force: true }));

function refused(p: string, pattern: RegExp, o?: Parameters<typeof checkOutputPath>[2]): void {
  try {
    checkOutputPath(p, '--out', o);
    assert.unreachable(`accepted ${p}`);
  } catch (e) {
    assert.is((e as Error).name, 'UsageError');
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/);
  }
}

test('writable places are accepted and nothing is created', () => {
  assert.is(checkOutputPath(path.join(root, 'r.json'), '--out'), path.join(root, 'r.json'));
  assert.is(checkOutputPath(file, '--out'), file); // an existing file is replaced by the command
  checkOutputPath(path.join(root, 'dir'), '--out', { kind: 'folder' });
  checkOutputPath(path.join(root, 'new', 'deeper', 'ck'), '--out', { kind: 'folder', parents: true });
  assert.equal(readdirSync(root).sort(), ['a-file.txt', 'dir']);
});

test('/proc and /sys are refused, also through a symbolic link', () => {
  refused('/proc/jscc-sim/x', /\/proc is a kernel pseudo-filesystem/, { kind: 'folder', parents: true });
  refused('/sys/x.json', /\/sys is a kernel pseudo-filesystem/);
  refused('/proc', /\/proc is a kernel pseudo-filesystem/, { kind: 'folder' });
  const link = path.join(root, 'to-proc');
  symlinkSync('/proc', link);
  refused(path.join(link, 'x'), /--out ".*to-proc\/x" is not allowed: \/proc is a kernel pseudo-filesystem/, { kind: 'folder', parents: true });
  rmSync(link);
  assert.ok(checkOutputPath('/procedures-not-proc/x', '--out', { parents: true }).startsWith('/procedures'));
});

test('a file as an ancestor, a missing parent, the wrong kind and an empty value are refused', () => {
  refused(path.join(file, 'x'), /a-file\.txt is a file, so nothing can be created under it/, { kind: 'folder', parents: true });
  refused('/etc/passwd/x', /\/etc\/passwd is a file/, { kind: 'folder', parents: true });
  refused(path.join(root, 'nonexistent', 'dir', 'x.json'), /its folder .*nonexistent\/dir does not exist/);
  refused(path.join(root, 'dir'), /it is a folder; name a file/);
  refused(file, /it is a file, not a folder/, { kind: 'folder' });
  refused('', /--out needs a path/);
  refused('a\0b', /NUL/);
});

test('a folder without write permission is refused (when not running as root)', () => {
  if (process.getuid?.() === 0) {
    // root may write anywhere; the check then agrees with what mkdir would do
    const ro = path.join(root, 'ro-root');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    assert.is(checkOutputPath(path.join(ro, 'x'), '--out'), path.join(ro, 'x'));
    return;
  }
  const ro = path.join(root, 'ro');
  mkdirSync(ro);
  chmodSync(ro, 0o500);
  refused(path.join(ro, 'x'), /ro is not writable/);
  assert.not.ok(existsSync(path.join(ro, 'x')));
});

test.run();

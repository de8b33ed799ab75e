/**
 * Scheme specs as results record them: `jscc:DIR` relative to the working folder when DIR is inside
 * it (a results file made in one clone names the same schemes in another), absolute otherwise;
 * every spelling of one scheme gives one canonical spec.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalSchemeSpec, portablePath, splitSchemeList } from '../../src/compare/spec-list.js';

const cwd = process.cwd();
const clones = mkdtempSync(path.join(os.tmpdir(), 'jscc-clones-'));

test.after(() => {
  process.chdir(cwd);
  rmSync(clones, { recursive: true, force: true });
});

test('a path inside the working folder is recorded relative to it, in every spelling; outside it absolute', () => {
  process.chdir(clones);
  const inside = path.join(clones, 'models', 'default', 'jscc-512-5db');
  for (const s of [inside, `${inside}/`, 'models/default/jscc-512-5db', './models//default/jscc-512-5db', 'models/default/x/../jscc-512-5db']) {
    assert.is(canonicalSchemeSpec(`jscc:${s}`), 'jscc:models/default/jscc-512-5db', s);
    assert.is(canonicalSchemeSpec(` JSCC: ${s}`), 'jscc:models/default/jscc-512-5db', s);
  }
  assert.is(portablePath(clones), '.');
  const outside = path.join(os.tmpdir(), 'elsewhere', 'm');
  assert.is(portablePath(outside), outside);
  assert.is(portablePath(path.join(clones, '..', 'sibling')), path.join(path.dirname(clones), 'sibling'));
  assert.is(canonicalSchemeSpec(`jscc:${outside}`), `jscc:${outside}`);
  process.chdir(cwd);
});

test('two clones at different places give the same canonical specs for their own models', () => {
  const specs: string[][] = [];
  for (const c of ['a', 'b/deeper']) {
    const root = path.join(clones, c);
    mkdirSync(root, { recursive: true });
    process.chdir(root); // each clone's own run, from its root
    const list = splitSchemeList(`none,jscc:${path.join(root, 'models/default/jscc-512-noiseless')},separate:jpeg=50,code=none,mod=qpsk`);
    specs.push(list.map(canonicalSchemeSpec));
  }
  process.chdir(cwd);
  assert.equal(specs[0], specs[1]);
  assert.equal(specs[0], ['none', 'jscc:models/default/jscc-512-noiseless', 'separate:jpeg=50,code=none,mod=qpsk']);
});

test.run();

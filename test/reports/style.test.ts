/** Series styles: stable per identity, and the default Fig. 5 schemes each get their own colour. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignStyles, schemeIdentity, PALETTE } from '../../reports/style.js';
import { defaultSchemes } from '../../src/compare/schemes.js';

test('every default scheme has its preferred style: no two share a style, only the Table III family shares a colour', () => {
  const ids = defaultSchemes('/somewhere/jscc-sim').map((s) => ({ id: schemeIdentity(s), name: s }));
  const styles = assignStyles(ids);
  const pairs = ids.map((e) => `${styles.get(e.id)!.color}/${styles.get(e.id)!.shape}`);
  assert.is(new Set(pairs).size, ids.length, `styles: ${pairs.join(' ')}`);
  const family = /^jscc:jscc-\d+-noiseless$/;
  const colours = ids.filter((e) => !family.test(e.id) || e.id === 'jscc:jscc-512-noiseless').map((e) => styles.get(e.id)!.color);
  assert.is(new Set(colours).size, colours.length, `colours: ${colours.join(' ')}`);
  const noiseless = styles.get('jscc:jscc-512-noiseless')!.color;
  for (const e of ids.filter((x) => family.test(x.id))) assert.is(styles.get(e.id)!.color, noiseless, e.id);
  assert.ok(ids.filter((e) => family.test(e.id)).length >= 3, 'the Table III ratios are in the default set');
  // The JSCC models are named by their folder, not by where the package lies.
  assert.ok(ids.some((e) => e.id === 'jscc:jscc-512-0db'));
  // Preferred: the ideal bound is grey with the cross, FFMNet black with the circle.
  const ideal = ids.find((e) => e.id.startsWith('ideal:'))!;
  assert.equal([styles.get(ideal.id)!.color, styles.get(ideal.id)!.shape], ['#888888', 'cross']);
  assert.equal([styles.get('none')!.color, styles.get('none')!.shape], [PALETTE[0], 'circle']);
});

test('styles do not depend on the order the series come in', () => {
  const ids = ['separate:jpeg=20,code=none,mod=qpsk', 'none', 'jscc:other', 'ber:x', 'ber:y'].map((id) => ({ id, name: id }));
  const a = assignStyles(ids), b = assignStyles([...ids].reverse());
  for (const e of ids) assert.equal(a.get(e.id), b.get(e.id), e.id);
});

test('equal legend names are made unique', () => {
  const s = assignStyles([{ id: 'x1', name: 'same' }, { id: 'x2', name: 'same' }]);
  assert.equal([...s.values()].map((v) => v.name).sort(), ['same', 'same #2']);
});

test.run();

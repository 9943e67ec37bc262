import { describe, expect, it } from 'vitest';
import { checkMasks, keepsNesting, type MaskRoles } from '../../../../inference/text/protect/index.js';

// "[0]a[1] [2]b [3] c[4]": <b>a</b> <i>b <br> c</i>
const ROLES: MaskRoles = new Map([
  [0, { kind: 'open', pair: 0 }],
  [1, { kind: 'close', pair: 0 }],
  [2, { kind: 'open', pair: 1 }],
  [3, { kind: 'atomic' }],
  [4, { kind: 'close', pair: 1 }],
]);
const SOURCE = '[0]a[1] [2]b [3] c[4]';

describe('keepsNesting', () => {
  it('accepts sibling elements in another order and text moved anywhere', () => {
    expect(keepsNesting(SOURCE, '[2]B [3] C[4] x [0]A[1]', ROLES)).toBe(true);
    expect(keepsNesting(SOURCE, '[0][1] [2][3] c b[4] a', ROLES)).toBe(true);
  });

  it('refuses an end tag before its start tag, crossed pairs, and an element moved into or out of another', () => {
    expect(keepsNesting(SOURCE, '[1]a[0] [2]b [3] c[4]', ROLES)).toBe(false);
    expect(keepsNesting(SOURCE, '[0]a [2]b[1] [3] c[4]', ROLES)).toBe(false);
    expect(keepsNesting(SOURCE, '[0]a[1] [2]b c[4] [3]', ROLES)).toBe(false);
    expect(keepsNesting(SOURCE, '[0]a [3][1] [2]b c[4]', ROLES)).toBe(false);
  });

  it('handles a sentence holding one tag of a pair: an unmatched start encloses what follows, an unmatched end closes what came before', () => {
    const roles: MaskRoles = new Map([
      [0, { kind: 'open', pair: 0 }],
      [1, { kind: 'atomic' }],
      [2, { kind: 'close', pair: 7 }],
    ]);
    // "x[2] y [0]z [1]": </a> closes an element of an earlier sentence; <b> closes in a later one, holding the <br>
    expect(keepsNesting('x[2] y [0]z [1]', '[2]X Y [0][1] Z', roles)).toBe(true);
    expect(keepsNesting('x[2] y [0]z [1]', 'X Y [0]Z [1][2]', roles)).toBe(false);
    expect(keepsNesting('x[2] y [0]z [1]', 'X [1] Y [2] [0]Z', roles)).toBe(false);
  });

  it('checkMasks reports a misnested output only when given roles', () => {
    expect(checkMasks(SOURCE, '[1]a[0] [2]b [3] c[4]', ROLES)).toEqual({ ok: false, problem: 'misnested' });
    expect(checkMasks(SOURCE, '[1]a[0] [2]b [3] c[4]')).toEqual({ ok: true });
    expect(checkMasks(SOURCE, '[0]a [2]b [3] c[4]', ROLES)).toEqual({ ok: false, problem: 'dropped' });
  });
});

import { describe, expect, it } from 'vitest';
import { checkMasks } from '../../../../inference/text/protect/index.js';

const source = 'Hello [0], you have [1] new messages from [2]';

describe('checkMasks', () => {
  it('passes every mask kept exactly once, in any order', () => {
    expect(checkMasks(source, 'Habari [0], una ujumbe [1] mpya kutoka kwa [2]')).toEqual({ ok: true });
    expect(checkMasks(source, '[2] [1] [0]')).toEqual({ ok: true });
  });

  it('passes a source without masks and an output without masks', () => {
    expect(checkMasks('Hello', 'Habari')).toEqual({ ok: true });
  });

  it('reports a dropped mask', () => {
    expect(checkMasks(source, 'Habari [0], una ujumbe mpya kutoka kwa [2]')).toEqual({ ok: false, problem: 'dropped' });
  });

  it('reports a duplicated mask', () => {
    expect(checkMasks(source, 'Habari [0] [0], una ujumbe [1] kutoka kwa [2]')).toEqual({ ok: false, problem: 'duplicated' });
  });

  it.each([
    ['a space inside', 'Habari [ 0], una ujumbe [1] kutoka kwa [2]'],
    ['full-width brackets', 'Habari ［0］, una ujumbe [1] kutoka kwa [2]'],
    ['native digits', 'Habari [٠], una ujumbe [1] kutoka kwa [2]'],
    ['a leading zero', 'Habari [00], una ujumbe [1] kutoka kwa [2]'],
    ['a lost bracket', 'Habari 0], una ujumbe [1] kutoka kwa [2]'],
    ['a mask the source does not have', 'Habari [0], una ujumbe [1] kutoka kwa [2] [3]'],
  ])('reports a mangled mask: %s', (_, output) => {
    expect(checkMasks(source, output)).toEqual({ ok: false, problem: 'mangled' });
  });

  it('counts a mask the source has twice', () => {
    const twice = '[0] and [0]';
    expect(checkMasks(twice, '[0] na [0]')).toEqual({ ok: true });
    expect(checkMasks(twice, '[0]')).toEqual({ ok: false, problem: 'dropped' });
  });
});

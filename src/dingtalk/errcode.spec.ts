import { describe, expect, it } from 'vitest';
import { splitErrcode } from './errcode';

describe('splitErrcode', () => {
  it('keeps numeric errcodes numbers, also when they were stored as text', () => {
    expect(splitErrcode(0)).toEqual({ errcode: 0, error_code: null });
    expect(splitErrcode('310000')).toEqual({ errcode: 310000, error_code: null });
    expect(splitErrcode('-1')).toEqual({ errcode: -1, error_code: null });
  });

  it("keeps the newer APIs' text codes apart, and nothing as nothing", () => {
    expect(splitErrcode('Forbidden.AccessDenied.IpNotInWhiteList')).toEqual({
      errcode: null,
      error_code: 'Forbidden.AccessDenied.IpNotInWhiteList',
    });
    expect(splitErrcode(null)).toEqual({ errcode: null, error_code: null });
  });
});

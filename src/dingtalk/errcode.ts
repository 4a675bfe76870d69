/**
 * DingTalk answers with a numeric `errcode` on its old APIs (`{"errcode": 310000, …}`, sometimes `"0"` as a
 * string) and a text `code` on the newer ones (`{"code": "invalidClientIdOrSecret", …}`); see
 * docs/dingtalk/README.md. The API shows them apart: the number as a number, the text as text.
 */
export function splitErrcode(value: number | string | null): {
  errcode: number | null;
  error_code: string | null;
} {
  if (value === null) return { errcode: null, error_code: null };
  if (typeof value === 'number') return { errcode: value, error_code: null };
  return /^-?[0-9]{1,15}$/.test(value)
    ? { errcode: Number(value), error_code: null }
    : { errcode: null, error_code: value };
}

/** The success envelope of every answer (README, HTTP API). */
export interface SuccessEnvelope<T> {
  code: 0;
  msg: 'success';
  data: T;
}

export interface FieldError {
  field: string;
  message: string;
}

/** The error envelope of every failure. For generic errors `code` equals the HTTP status. */
export interface ErrorEnvelope {
  code: number;
  msg: string;
  errors?: FieldError[];
  request_id: string;
}

export function success<T>(data: T): SuccessEnvelope<T> {
  return { code: 0, msg: 'success', data };
}

import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

/**
 * The checks of an app's credentials, the same wherever they are written: on an app (POST /dingtalk-apps) and inline
 * on a stream bot (which finds or adds its app by them).
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
export const AGENT_ID_PATTERN = /^\d{1,20}$/;

export function IsClientId(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(CLIENT_ID_PATTERN, { message: "client_id must be the app's AppKey (letters, digits, _ . -)" }),
  );
}

export function IsClientSecret(): PropertyDecorator {
  return applyDecorators(IsString(), Length(1, 256));
}

/** DingTalk AgentIds are numbers in the console; `836390886` is accepted as well as `"836390886"`. */
export function IsAgentId(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value)),
    IsString(),
    Matches(AGENT_ID_PATTERN, { message: 'agent_id must be digits' }),
  );
}

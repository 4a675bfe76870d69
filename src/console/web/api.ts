import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../../test/client/api-schema';

// The console's only way to the service: the client generated from the OpenAPI document (npm run api:types), with the
// signed-in user's token. Whatever the console does, the API checks it as it would for any other client.

type Schemas = components['schemas'];
export type Bot = Schemas['DingTalkBotResponse'];
export type BotStatus = Schemas['BotStatusResponse'];
export type BotTestResult = Schemas['BotTestResultResponse'];
export type StoreOverview = Schemas['StoreOverviewResponse'];
export type Notification = Schemas['NotificationResponse'];
export type NotificationDetail = Schemas['NotificationDetailResponse'];
export type Template = Schemas['MessageTemplateResponse'];
export type TemplatePreview = Schemas['TemplatePreviewResponse'];
export type SummaryPreview = Schemas['DailySummaryPreviewResponse'];
export type Report = Schemas['MenuReportResponse'];
export type MintedToken = Schemas['MintedTokenResponse'];
export type MintedTokenRecord = Schemas['MintedTokenRecordResponse'];
export type MintedTokenStatus = MintedTokenRecord['status'];
export type WhoAmI = Schemas['WhoAmIResponse'];
export type Health = Bot['health'];
export type NotificationStatus = Notification['status'];
export type NotificationKind = Notification['kind'];
export type Api = Client<paths>;

/** An answer other than success: the envelope's message, and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: ReadonlyArray<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

export function createApi(token: string, onUnauthorized: () => void): Api {
  const api = createClient<paths>({
    baseUrl: location.origin,
    headers: { Authorization: `Bearer ${token}` },
  });
  api.use({
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  });
  return api;
}

interface Answer<T> {
  data?: { data: T };
  error?: unknown;
  response: Response;
}

/** The `data` of a success envelope, or an ApiError with what the service said. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiError(0, 'network');
  }
  if (answer.data !== undefined) return answer.data.data;
  const error = (answer.error ?? {}) as { msg?: unknown; errors?: unknown };
  return Promise.reject(
    new ApiError(
      answer.response.status,
      typeof error.msg === 'string' ? error.msg : `HTTP ${answer.response.status}`,
      Array.isArray(error.errors) ? (error.errors as Array<{ field: string; message: string }>) : [],
    ),
  );
}

/** Every page of a list (at most `max` items): a chain's stores or a store's bots fit in a few pages. */
export async function allPages<T>(
  fetchPage: (page: number) => Promise<{ items: T[]; total: number }>,
  max = 1000,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; items.length < max; page++) {
    const answer = await fetchPage(page);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) break;
  }
  return items;
}

export type CreateBotBody = Schemas['CreateDingTalkBotDto'];
export type UpdateBotBody = Schemas['UpdateDingTalkBotDto'];
export type TemplateBody = Schemas['CreateMessageTemplateDto'];

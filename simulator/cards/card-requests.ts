import { JsonObject, objectOf } from '../core/message-fields';

/**
 * The card API's request bodies read as DingTalk reads them (docs/dingtalk/cards.md): required fields, the
 * `openSpaceId` format, the space and deliver models each space needs. A refusal is HTTP 400 with DingTalk's code;
 * the body's other fields are not checked here but by the card store (a template it knows, a card it has).
 */
export interface CardRefusal {
  status: number;
  code: string;
  message: string;
}

/** The spaces the simulator delivers to: a group, and the one-to-one chat of a user with the app's robot. */
export const SPACE_TYPES = ['IM_GROUP', 'IM_ROBOT'] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];

/** Which body fields a space type needs: its space model at creation, its deliver model at delivery. */
export const SPACE_MODELS: Record<SpaceType, { space: string; deliver: string }> = {
  IM_GROUP: { space: 'imGroupOpenSpaceModel', deliver: 'imGroupOpenDeliverModel' },
  IM_ROBOT: { space: 'imRobotOpenSpaceModel', deliver: 'imRobotOpenDeliverModel' },
};

export type ParamMap = Record<string, string>;

export interface CreateCardRequest {
  outTrackId: string;
  cardTemplateId: string;
  cardParamMap: ParamMap;
  /** userid → that user's private `cardParamMap`. */
  privateData: Map<string, ParamMap>;
  /** `STREAM`, `HTTP`, or null: no callbacks at all. */
  callbackType: 'STREAM' | 'HTTP' | null;
  callbackRouteKey: string | null;
  /** The space models the card was created with: where it may be delivered. */
  spaceModels: Set<SpaceType>;
}

export interface DeliverCardRequest {
  outTrackId: string;
  spaces: Array<{ spaceType: SpaceType; spaceId: string }>;
  /** The robot that posts the card: each deliver model's `robotCode` (a one-to-one model may leave it out). */
  robotCodes: Partial<Record<SpaceType, string | null>>;
}

export interface UpdateCardRequest {
  outTrackId: string;
  cardParamMap: ParamMap | null;
  privateData: Map<string, ParamMap> | null;
  /** `cardUpdateOptions.updateCardDataByKey`: merge into the card's data; otherwise the data is replaced. */
  updateCardDataByKey: boolean;
  updatePrivateDataByKey: boolean;
}

type Read<T> = { ok: true; value: T } | { ok: false; refusal: CardRefusal };

const refuse = <T>(code: string, message: string): Read<T> => ({
  ok: false,
  refusal: { status: 400, code, message },
});

const OPEN_SPACE_PREFIX = 'dtv1.card//';

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * `cardParamMap` is a map of strings (docs/dingtalk/cards.md): a number, boolean or object must be sent as its
 * JSON text. DingTalk's answer to another type is not documented; the simulator refuses it naming the key.
 */
export function readParamMap(value: unknown, field: string): Read<ParamMap> {
  const map = objectOf(value);
  if (!map) return refuse('param.invalid', `${field} is not an object of strings`);
  for (const [key, item] of Object.entries(map)) {
    if (typeof item !== 'string') {
      return refuse('param.invalid', `${field}.${key} is not a string: send ${JSON.stringify(item)} as text`);
    }
  }
  return { ok: true, value: { ...(map as ParamMap) } };
}

/** `privateData`: `{userId: {cardParamMap}}`. */
function readPrivateData(value: unknown): Read<Map<string, ParamMap>> {
  const users = new Map<string, ParamMap>();
  if (value === undefined || value === null) return { ok: true, value: users };
  const byUser = objectOf(value);
  if (!byUser) return refuse('param.invalid', 'privateData is not an object keyed by userId');
  for (const [userId, entry] of Object.entries(byUser)) {
    const map = readParamMap(objectOf(entry)?.cardParamMap, `privateData.${userId}.cardParamMap`);
    if (!map.ok) return map;
    users.set(userId, map.value);
  }
  return { ok: true, value: users };
}

/** `userIdType` 1 (userid, the default) is simulated; 2 (unionId) is not: callbacks would name unionIds. */
function checkUserIdType(body: JsonObject): Read<null> {
  if (body.userIdType === undefined || body.userIdType === null || body.userIdType === 1) {
    return { ok: true, value: null };
  }
  return refuse('param.invalid', 'userIdType: only 1 (userid) is simulated');
}

function outTrackIdOf(body: JsonObject): Read<string> {
  const outTrackId = text(body.outTrackId);
  return outTrackId
    ? { ok: true, value: outTrackId }
    : refuse('param.outTrackIdEmpty', 'param.outTrackIdEmpty');
}

/** `POST /v1.0/card/instances` (and the creating half of createAndDeliver). */
export function readCreateRequest(raw: unknown): Read<CreateCardRequest> {
  const body = objectOf(raw);
  if (!body) return refuse('param.empty', 'param.empty');
  const outTrackId = outTrackIdOf(body);
  if (!outTrackId.ok) return outTrackId;
  const cardTemplateId = text(body.cardTemplateId);
  if (!cardTemplateId) return refuse('param.cardTemplateIdEmpty', 'param.cardTemplateIdEmpty');
  const cardData = objectOf(body.cardData);
  if (!cardData || cardData.cardParamMap === undefined) {
    return refuse('param.cardPublicDataEmpty', 'param.cardPublicDataEmpty');
  }
  const cardParamMap = readParamMap(cardData.cardParamMap, 'cardData.cardParamMap');
  if (!cardParamMap.ok) return cardParamMap;
  const privateData = readPrivateData(body.privateData);
  if (!privateData.ok) return privateData;
  const userIdType = checkUserIdType(body);
  if (!userIdType.ok) return userIdType;
  const callbackType = body.callbackType ?? null;
  if (callbackType !== null && callbackType !== 'STREAM' && callbackType !== 'HTTP') {
    return refuse('param.invalid', 'callbackType is STREAM or HTTP');
  }
  const callbackRouteKey = text(body.callbackRouteKey);
  if (callbackType === 'HTTP' && !callbackRouteKey) {
    return refuse(
      'param.invalid',
      'callbackType HTTP needs the callbackRouteKey of a registered callback URL',
    );
  }
  const spaceModels = new Set(SPACE_TYPES.filter((type) => objectOf(body[SPACE_MODELS[type].space])));
  return {
    ok: true,
    value: {
      outTrackId: outTrackId.value,
      cardTemplateId,
      cardParamMap: cardParamMap.value,
      privateData: privateData.value,
      callbackType,
      callbackRouteKey,
      spaceModels,
    },
  };
}

/**
 * `openSpaceId`: `dtv1.card//` then `TYPE.id` entries separated by `;` (`IM_GROUP.<openConversationId>`,
 * `IM_ROBOT.<userid>`). DingTalk writes the type in capitals in its SDKs and in lower case in an API example; both
 * are read.
 */
export function readOpenSpaceId(value: unknown): Read<Array<{ spaceType: SpaceType; spaceId: string }>> {
  const openSpaceId = text(value);
  if (!openSpaceId) return refuse('param.openSpaceModelInvalid', 'openSpaceId is required');
  if (!openSpaceId.startsWith(OPEN_SPACE_PREFIX)) {
    return refuse('param.invalid', `openSpaceId starts with ${OPEN_SPACE_PREFIX}`);
  }
  const spaces: Array<{ spaceType: SpaceType; spaceId: string }> = [];
  for (const entry of openSpaceId.slice(OPEN_SPACE_PREFIX.length).split(';')) {
    if (entry.trim() === '') continue;
    const dot = entry.indexOf('.');
    const type = dot > 0 ? entry.slice(0, dot).toUpperCase() : '';
    const spaceId = dot > 0 ? entry.slice(dot + 1) : '';
    const spaceType = SPACE_TYPES.find((known) => known === type);
    if (!spaceType || spaceId === '') {
      return refuse(
        'param.invalid',
        `openSpaceId entry "${entry}": the simulator delivers to IM_GROUP.<openConversationId> and IM_ROBOT.<userid>`,
      );
    }
    spaces.push({ spaceType, spaceId });
  }
  if (spaces.length === 0) return refuse('param.openSpaceModelInvalid', 'openSpaceId names no space');
  return { ok: true, value: spaces };
}

/** `POST /v1.0/card/instances/deliver` (and the delivering half of createAndDeliver). */
export function readDeliverRequest(raw: unknown): Read<DeliverCardRequest> {
  const body = objectOf(raw);
  if (!body) return refuse('param.empty', 'param.empty');
  const outTrackId = outTrackIdOf(body);
  if (!outTrackId.ok) return outTrackId;
  const spaces = readOpenSpaceId(body.openSpaceId);
  if (!spaces.ok) return spaces;
  const userIdType = checkUserIdType(body);
  if (!userIdType.ok) return userIdType;
  const robotCodes: DeliverCardRequest['robotCodes'] = {};
  for (const { spaceType } of spaces.value) {
    const model = objectOf(body[SPACE_MODELS[spaceType].deliver]);
    // A group needs its deliver model with the robot that posts the card; a robot chat the model at least.
    if (!model || (spaceType === 'IM_GROUP' && !text(model.robotCode))) {
      return refuse(
        'param.openSpaceModelInvalid',
        `${spaceType} needs ${SPACE_MODELS[spaceType].deliver}${spaceType === 'IM_GROUP' ? ' with robotCode' : ''}`,
      );
    }
    robotCodes[spaceType] = text(model.robotCode);
  }
  return { ok: true, value: { outTrackId: outTrackId.value, spaces: spaces.value, robotCodes } };
}

/** A delivery to a space whose space model the card was not created with is refused (docs/dingtalk/cards.md). */
export function lackingSpaceModel(
  spaceModels: ReadonlySet<SpaceType>,
  spaces: DeliverCardRequest['spaces'],
): CardRefusal | null {
  const lacking = spaces.find(({ spaceType }) => !spaceModels.has(spaceType));
  if (!lacking) return null;
  return {
    status: 400,
    code: 'param.openSpaceModelInvalid',
    message: `the card was created without ${SPACE_MODELS[lacking.spaceType].space}, needed for ${lacking.spaceType}`,
  };
}

/** `PUT /v1.0/card/instances`. */
export function readUpdateRequest(raw: unknown): Read<UpdateCardRequest> {
  const body = objectOf(raw);
  if (!body) return refuse('param.empty', 'param.empty');
  const outTrackId = outTrackIdOf(body);
  if (!outTrackId.ok) return outTrackId;
  let cardParamMap: ParamMap | null = null;
  if (body.cardData !== undefined && body.cardData !== null) {
    const map = readParamMap(objectOf(body.cardData)?.cardParamMap, 'cardData.cardParamMap');
    if (!map.ok) return map;
    cardParamMap = map.value;
  }
  const privateData = body.privateData === undefined ? null : readPrivateData(body.privateData);
  if (privateData && !privateData.ok) return privateData;
  const userIdType = checkUserIdType(body);
  if (!userIdType.ok) return userIdType;
  const options = objectOf(body.cardUpdateOptions);
  return {
    ok: true,
    value: {
      outTrackId: outTrackId.value,
      cardParamMap,
      privateData: privateData ? privateData.value : null,
      updateCardDataByKey: options?.updateCardDataByKey === true,
      updatePrivateDataByKey: options?.updatePrivateDataByKey === true,
    },
  };
}

import { objectOf, parseJson } from '../core/message-fields';
import { ParamMap, readParamMap, SpaceType } from './card-requests';

/** The Stream topic of card callbacks (docs/dingtalk/cards.md, Callbacks; the SDKs' TOPIC_CARD). */
export const TOPIC_CARD_CALLBACK = '/v1.0/card/instances/callback';

/**
 * The `data` of a card callback frame (docs/dingtalk/cards.md, Callbacks): flat strings as the Go SDK's `CardRequest`
 * and the Python SDK's `CardCallbackMessage` read them; `content` and `extension` are JSON *strings*, `content`
 * holding `{cardPrivateData: {actionIds, params}}` of the button clicked.
 */
export interface CardCallbackData {
  outTrackId: string;
  corpId: string;
  userId: string;
  userIdType: 1;
  type: 'actionCallback';
  spaceType: SpaceType;
  spaceId: string;
  extension: string;
  content: string;
}

export function cardCallbackData(input: {
  outTrackId: string;
  corpId: string;
  userId: string;
  spaceType: SpaceType;
  spaceId: string;
  actionId: string;
  params: Record<string, string>;
}): CardCallbackData {
  return {
    outTrackId: input.outTrackId,
    corpId: input.corpId,
    userId: input.userId,
    userIdType: 1,
    type: 'actionCallback',
    spaceType: input.spaceType,
    spaceId: input.spaceId,
    extension: '{}',
    content: JSON.stringify({ cardPrivateData: { actionIds: [input.actionId], params: input.params } }),
  };
}

/**
 * What a client's ACK may answer a card callback with (docs/dingtalk/cards.md, Callbacks): `{"response": {cardData,
 * userPrivateData, cardUpdateOptions}}` in the ACK's `data`, which DingTalk applies to the card at once — public data
 * for everyone, private data for the member who clicked. Null when the ACK carries no update (`{"response": null}`)
 * or one the simulator cannot read.
 */
export interface CallbackAnswer {
  cardParamMap: ParamMap | null;
  userParamMap: ParamMap | null;
  updateCardDataByKey: boolean;
  updatePrivateDataByKey: boolean;
}

export function readCallbackAnswer(ackData: string | null): CallbackAnswer | null {
  const response = objectOf(objectOf(ackData === null ? undefined : parseJson(ackData))?.response);
  if (!response) return null;
  const mapOf = (value: unknown, field: string) => {
    const cardParamMap = objectOf(value)?.cardParamMap;
    if (cardParamMap === undefined) return null;
    const read = readParamMap(cardParamMap, field);
    return read.ok ? read.value : null;
  };
  const options = objectOf(response.cardUpdateOptions);
  const answer = {
    cardParamMap: mapOf(response.cardData, 'cardData.cardParamMap'),
    userParamMap: mapOf(response.userPrivateData, 'userPrivateData.cardParamMap'),
    updateCardDataByKey: options?.updateCardDataByKey === true,
    updatePrivateDataByKey: options?.updatePrivateDataByKey === true,
  };
  return answer.cardParamMap || answer.userParamMap ? answer : null;
}

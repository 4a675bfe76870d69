import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppCredentials } from './app-credentials';
import { AppTokenService, withAppToken } from './app-token.service';
import {
  CardDelivery,
  CardSpace,
  classifyCardAnswer,
  deliveryOutcome,
  OUT_TRACK_ID_EXISTS,
  readDeliveries,
} from './card-answers';
import { DingTalkHttp } from './dingtalk-http';
import { DingTalkOutcome } from './dingtalk-outcome';

/** A card to create: its caller's id (stable across retries), its template and its variables (strings). */
export interface NewCard {
  outTrackId: string;
  templateId: string;
  cardParamMap: Readonly<Record<string, string>>;
}

/** A card's creation and delivery: `ok` only when every space has it. */
export interface CardSendResult {
  outcome: DingTalkOutcome;
  /** What DingTalk said of each space asked for; null when no call answered with them (refused, no answer). */
  deliveries: CardDelivery[] | null;
}

const SPACE_MODELS = {
  IM_GROUP: { space: 'imGroupOpenSpaceModel', deliver: 'imGroupOpenDeliverModel' },
  IM_ROBOT: { space: 'imRobotOpenSpaceModel', deliver: 'imRobotOpenDeliverModel' },
} as const;

/**
 * DingTalk's interactive cards as an enterprise app (docs/dingtalk/cards.md), with the app token in the header: a
 * card created and delivered in one call, with its clicks coming back over the app's Stream connection
 * (`callbackType` STREAM), and a card's data updated for everyone who sees it. Every call has the DingTalk deadline
 * (dingtalk-http.ts).
 */
@Injectable()
export class CardClient {
  constructor(
    private readonly http: DingTalkHttp,
    private readonly tokens: AppTokenService,
    private readonly config: AppConfig,
  ) {}

  /**
   * `createAndDeliver` to `spaces`, every space's result checked (a failed space is inside an HTTP 200). A creation
   * DingTalk refuses because the outTrackId names a card already (an earlier attempt created it, and its answer was
   * lost: a timeout after DingTalk had done the work) is followed by a delivery of that card only: the same card,
   * never a second one, and a space that has it already keeps it (one card per outTrackId and space).
   */
  async createAndDeliver(
    app: AppCredentials,
    card: NewCard,
    spaces: readonly CardSpace[],
    signal?: AbortSignal,
  ): Promise<CardSendResult> {
    let deliveries: CardDelivery[] | null = null;
    let exists = false;
    const created = await withAppToken(this.tokens, app, 'api', async (token) => {
      const answer = await this.http.post(
        `${this.config.dingtalk.apiUrl}/v1.0/card/instances/createAndDeliver`,
        {
          outTrackId: card.outTrackId,
          cardTemplateId: card.templateId,
          callbackType: 'STREAM',
          cardData: { cardParamMap: { ...card.cardParamMap } },
          ...spaceModels(spaces),
          ...deliverFields(app, spaces),
        },
        { 'x-acs-dingtalk-access-token': token },
        signal,
      );
      const classified = classifyCardAnswer(answer);
      exists = classified.errcode === OUT_TRACK_ID_EXISTS;
      if (classified.kind === 'ok') {
        const result = (answer.json as { result?: { deliverResults?: unknown } } | undefined)?.result;
        deliveries = readDeliveries(result?.deliverResults, spaces);
      }
      return classified;
    });
    if (exists) return this.deliver(app, card.outTrackId, spaces, signal);
    return { outcome: deliveries ? deliveryOutcome(created, deliveries) : created, deliveries };
  }

  /** `deliver` of an existing card to `spaces`, every space's result checked. */
  async deliver(
    app: AppCredentials,
    outTrackId: string,
    spaces: readonly CardSpace[],
    signal?: AbortSignal,
  ): Promise<CardSendResult> {
    let deliveries: CardDelivery[] | null = null;
    const delivered = await withAppToken(this.tokens, app, 'api', async (token) => {
      const answer = await this.http.post(
        `${this.config.dingtalk.apiUrl}/v1.0/card/instances/deliver`,
        { outTrackId, ...deliverFields(app, spaces) },
        { 'x-acs-dingtalk-access-token': token },
        signal,
      );
      const classified = classifyCardAnswer(answer);
      if (classified.kind === 'ok') {
        deliveries = readDeliveries((answer.json as { result?: unknown } | undefined)?.result, spaces);
      }
      return classified;
    });
    return { outcome: deliveries ? deliveryOutcome(delivered, deliveries) : delivered, deliveries };
  }

  /**
   * `PUT /v1.0/card/instances`: the keys given replace theirs in the card's public data (`updateCardDataByKey`), the
   * others stay; everyone who sees the card sees the change.
   */
  update(
    app: AppCredentials,
    outTrackId: string,
    cardParamMap: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<DingTalkOutcome> {
    return withAppToken(this.tokens, app, 'api', async (token) =>
      classifyCardAnswer(
        await this.http.put(
          `${this.config.dingtalk.apiUrl}/v1.0/card/instances`,
          {
            outTrackId,
            cardData: { cardParamMap: { ...cardParamMap } },
            cardUpdateOptions: { updateCardDataByKey: true },
            userIdType: 1,
          },
          { 'x-acs-dingtalk-access-token': token },
          signal,
        ),
      ),
    );
  }
}

/** The space model of each space type the card goes to (where it may be delivered). */
function spaceModels(spaces: readonly CardSpace[]): Record<string, unknown> {
  const types = new Set(spaces.map((space) => space.spaceType));
  return Object.fromEntries([...types].map((type) => [SPACE_MODELS[type].space, { supportForward: false }]));
}

/** `openSpaceId` and the deliver model of each space type: the app's robot posts the card (its robotCode). */
function deliverFields(app: AppCredentials, spaces: readonly CardSpace[]): Record<string, unknown> {
  const types = new Set(spaces.map((space) => space.spaceType));
  return {
    openSpaceId: `dtv1.card//${spaces.map((space) => `${space.spaceType}.${space.spaceId}`).join(';')}`,
    ...Object.fromEntries(
      [...types].map((type) => [
        SPACE_MODELS[type].deliver,
        type === 'IM_GROUP'
          ? { robotCode: app.clientId }
          : { spaceType: 'IM_ROBOT', robotCode: app.clientId },
      ]),
    ),
    userIdType: 1,
  };
}

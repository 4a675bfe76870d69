import { randomBytes } from 'node:crypto';
import { SimulatorContext } from '../core/simulator-context';
import { SimApp } from '../core/simulator-state';
import { SIM_CORP_ID } from '../stream/bot-message';
import { SimAck } from '../stream/stream-frames';
import { CallbackPushResult } from '../stream/stream-gateway';
import { cardCallbackData, readCallbackAnswer, TOPIC_CARD_CALLBACK } from './card-callback';
import { RenderedButton, RenderedCard, renderCard } from './card-render';
import {
  CardRefusal,
  CreateCardRequest,
  DeliverCardRequest,
  lackingSpaceModel,
  ParamMap,
  SpaceType,
  UpdateCardRequest,
} from './card-requests';
import { readCardTemplate, SimCardTemplate } from './card-template';

/** Where a card was delivered: a group, or the one-to-one chat of a user with the app's robot. */
export interface CardSpace {
  spaceType: SpaceType;
  spaceId: string;
  /** The simulator's conversation it shows in (the page groups it there). */
  conversationId: string;
  carrierId: string;
  deliveredAt: number;
}

/** One entry of a deliver answer (docs/dingtalk/cards.md): HTTP 200 even when a space failed, so each is checked. */
export interface CardDeliverResult {
  spaceType: SpaceType;
  spaceId: string;
  success: boolean;
  carrierId?: string;
  errorMsg?: string;
}

/** A click a staff member made: the callback pushed for it, and whether the ACK answered with an update. */
export interface CardClick {
  messageId: string;
  actionId: string;
  userId: string;
  spaceType: SpaceType;
  spaceId: string;
  params: Record<string, string>;
  at: number;
  /** Set once the client ACKed; `updated` when the ACK's `response` changed the card. */
  ack: { at: number; updated: boolean } | null;
}

export interface SimCard {
  outTrackId: string;
  clientId: string;
  templateId: string;
  cardData: ParamMap;
  /** userid → that member's private data, shown to them only. */
  privateData: Map<string, ParamMap>;
  callbackType: CreateCardRequest['callbackType'];
  spaceModels: Set<SpaceType>;
  spaces: CardSpace[];
  /** Keys sent that the template does not declare: DingTalk ignores them, a test may want to know. */
  unknownVariables: string[];
  createdAt: number;
  updatedAt: number;
  /** Counts every change of what the card shows (an update, an ACK's answer). */
  version: number;
  clicks: CardClick[];
}

/** The gateway's side the store needs: pushing a callback to the app's Stream connection. */
export interface CallbackPusher {
  pushCallback(
    clientId: string,
    topic: string,
    data: unknown,
    onAck?: (ack: SimAck) => void,
  ): CallbackPushResult;
}

/** A control request on a card the store cannot do, with the HTTP status the control API answers. */
export class CardControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface ClickInput {
  actionId?: string;
  /** The button's label, when no actionId is given. */
  text?: string;
  userId?: string;
  /** The space (openConversationId or userid) the member clicks in; the first delivered one by default. */
  spaceId?: string;
}

/**
 * DingTalk's interactive cards (docs/dingtalk/cards.md): the templates of its card platform, the card instances
 * apps create, deliver and update, and the clicks of staff members, pushed to the app over Stream. Cards live in the
 * conversations they were delivered to; `/_sim/reset` forgets them, and the templates given at start remain.
 */
export class CardStore {
  private readonly templateRegistry = new Map<string, SimCardTemplate>();
  private readonly cards = new Map<string, SimCard>();

  constructor(
    private readonly context: SimulatorContext,
    private readonly gateway: CallbackPusher,
    private readonly builtInTemplates: ReadonlyArray<{ id: string; template: unknown }> = [],
  ) {
    this.loadBuiltIns();
    context.state.onReset(() => this.reset());
  }

  /** Registers (or replaces) a template under its id, read from the card platform's export. */
  registerTemplate(id: string, exported: unknown): SimCardTemplate {
    const template = readCardTemplate(id, exported);
    this.templateRegistry.set(id, template);
    return template;
  }

  templates(): SimCardTemplate[] {
    return [...this.templateRegistry.values()];
  }

  template(id: string): SimCardTemplate | undefined {
    return this.templateRegistry.get(id);
  }

  card(outTrackId: string): SimCard | undefined {
    return this.cards.get(outTrackId);
  }

  all(filter: { clientId?: string; conversationId?: string } = {}): SimCard[] {
    return [...this.cards.values()].filter(
      (card) =>
        (filter.clientId === undefined || card.clientId === filter.clientId) &&
        (filter.conversationId === undefined ||
          card.spaces.some((space) => space.conversationId === filter.conversationId)),
    );
  }

  /** The card as `userId` sees it (their private data over the public), or as everyone sees it. */
  render(card: SimCard, userId?: string): RenderedCard {
    const template = this.templateRegistry.get(card.templateId);
    if (!template) return { parts: [], buttons: [] };
    const values = { ...card.cardData, ...(userId ? card.privateData.get(userId) : undefined) };
    return renderCard(template, values);
  }

  /** `POST /v1.0/card/instances`: a card of a known template; an outTrackId names one card for good. */
  create(app: SimApp, request: CreateCardRequest): SimCard | CardRefusal {
    const template = this.templateRegistry.get(request.cardTemplateId);
    // A template the app cannot use answers so (docs/dingtalk/cards.md, Refusals).
    if (!template) return refusal('param.templateUnpublished', 'param.templateUnpublished');
    if (this.cards.has(request.outTrackId)) {
      return refusal('param.outTrackIdExist', `outTrackId ${request.outTrackId} already names a card`);
    }
    const now = this.context.clock.now();
    const card: SimCard = {
      outTrackId: request.outTrackId,
      clientId: app.clientId,
      templateId: template.id,
      cardData: { ...request.cardParamMap },
      privateData: new Map(request.privateData),
      callbackType: request.callbackType,
      spaceModels: new Set(request.spaceModels),
      spaces: [],
      unknownVariables: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
      clicks: [],
    };
    this.noteUnknownVariables(card, request.cardParamMap);
    this.cards.set(card.outTrackId, card);
    return card;
  }

  /** `POST /v1.0/card/instances/deliver`: one result per space; delivering again to a space changes nothing. */
  deliver(app: SimApp, request: DeliverCardRequest): CardDeliverResult[] | CardRefusal {
    const card = this.cards.get(request.outTrackId);
    if (!card || card.clientId !== app.clientId) {
      return refusal('param.cardInstanceNotExist', `no card with outTrackId ${request.outTrackId}`);
    }
    const lacking = lackingSpaceModel(card.spaceModels, request.spaces);
    if (lacking) return lacking;
    return request.spaces.map(({ spaceType, spaceId }) =>
      this.deliverTo(app, card, spaceType, spaceId, request.robotCodes[spaceType] ?? null),
    );
  }

  /** `PUT /v1.0/card/instances`: changes what every member sees (private data: what that member sees). */
  update(app: SimApp, request: UpdateCardRequest): SimCard | CardRefusal {
    const card = this.cards.get(request.outTrackId);
    if (!card || card.clientId !== app.clientId) {
      return refusal('param.cardInstanceNotExist', `no card with outTrackId ${request.outTrackId}`);
    }
    if (request.cardParamMap) {
      card.cardData = request.updateCardDataByKey
        ? { ...card.cardData, ...request.cardParamMap }
        : { ...request.cardParamMap };
      this.noteUnknownVariables(card, request.cardParamMap);
    }
    for (const [userId, map] of request.privateData ?? []) {
      this.setPrivateData(card, userId, map, request.updatePrivateDataByKey);
    }
    this.touch(card);
    return card;
  }

  /**
   * A staff member clicks a button of the card where it was delivered: its callback goes to the app over Stream
   * (docs/dingtalk/cards.md, Callbacks). Only a button the member sees now, of a card created with callbackType
   * STREAM, can be clicked.
   */
  click(outTrackId: string, input: ClickInput): { click: CardClick; push: CallbackPushResult } {
    const card = this.cards.get(outTrackId);
    if (!card) throw new CardControlError(404, `No card with outTrackId ${outTrackId}`);
    const space = input.spaceId
      ? card.spaces.find((candidate) => candidate.spaceId === input.spaceId)
      : card.spaces[0];
    if (!space) {
      throw new CardControlError(
        409,
        input.spaceId
          ? `Card ${outTrackId} was not delivered to ${input.spaceId}`
          : `Card ${outTrackId} was not delivered anywhere yet: nobody can see it`,
      );
    }
    const conversation = this.context.state.conversations.get(space.conversationId);
    const userId =
      input.userId ??
      (space.spaceType === 'IM_ROBOT' ? space.spaceId : conversation?.members[0]) ??
      'manager01';
    if (space.spaceType === 'IM_ROBOT' && userId !== space.spaceId) {
      throw new CardControlError(409, `Only ${space.spaceId} sees this one-to-one card`);
    }
    const button = this.pickButton(card, userId, input);
    if (card.callbackType !== 'STREAM') {
      throw new CardControlError(
        409,
        card.callbackType === 'HTTP'
          ? 'The card calls back over HTTP (callbackType HTTP): not simulated'
          : 'The card was created without callbackType STREAM: DingTalk has nowhere to send the click',
      );
    }
    const now = this.context.clock.now();
    const data = cardCallbackData({
      outTrackId,
      corpId: SIM_CORP_ID,
      userId,
      spaceType: space.spaceType,
      spaceId: space.spaceId,
      actionId: button.actionId,
      params: button.params,
    });
    const click: CardClick = {
      messageId: '',
      actionId: button.actionId,
      userId,
      spaceType: space.spaceType,
      spaceId: space.spaceId,
      params: button.params,
      at: now,
      ack: null,
    };
    const push = this.gateway.pushCallback(card.clientId, TOPIC_CARD_CALLBACK, data, (ack) =>
      this.answered(card, click, ack),
    );
    click.messageId = push.messageId;
    card.clicks.push(click);
    // The member is in the conversation from now on (the page offers them as a sender).
    this.context.state.ensureConversation({ id: space.conversationId, members: [userId] });
    return { click, push };
  }

  private pickButton(card: SimCard, userId: string, input: ClickInput): RenderedButton {
    const visible = this.render(card, userId).buttons;
    const button = visible.find((candidate) =>
      input.actionId !== undefined ? candidate.actionId === input.actionId : candidate.text === input.text,
    );
    if (!button) {
      const shown = visible.map((candidate) => `${candidate.text} (${candidate.actionId})`).join(', ');
      throw new CardControlError(
        409,
        `No button ${input.actionId ?? input.text ?? '(none named)'} shows on card ${card.outTrackId} for ${userId}: ${shown || 'no buttons'}`,
      );
    }
    if (!button.callsBack) {
      throw new CardControlError(
        409,
        `Button ${button.text} is not a 回传请求 (request) button: no callback`,
      );
    }
    return button;
  }

  /** The ACK of a click's callback: its `response`, if any, updates the card at once. */
  private answered(card: SimCard, click: CardClick, ack: SimAck): void {
    const answer = readCallbackAnswer(ack.data);
    click.ack = { at: ack.at, updated: answer !== null };
    if (!answer || this.cards.get(card.outTrackId) !== card) return;
    if (answer.cardParamMap) {
      card.cardData = answer.updateCardDataByKey
        ? { ...card.cardData, ...answer.cardParamMap }
        : { ...answer.cardParamMap };
    }
    if (answer.userParamMap) {
      this.setPrivateData(card, click.userId, answer.userParamMap, answer.updatePrivateDataByKey);
    }
    this.touch(card);
  }

  private deliverTo(
    app: SimApp,
    card: SimCard,
    spaceType: SpaceType,
    spaceId: string,
    robotCode: string | null,
  ): CardDeliverResult {
    const failed = (errorMsg: string): CardDeliverResult => ({
      spaceType,
      spaceId,
      success: false,
      errorMsg,
    });
    const known = card.spaces.find((space) => space.spaceType === spaceType && space.spaceId === spaceId);
    if (known) return { spaceType, spaceId, success: true, carrierId: known.carrierId };
    if (robotCode !== null && robotCode !== app.robotCode) return failed('机器人不存在');
    const { state } = this.context;
    let conversationId: string;
    if (spaceType === 'IM_GROUP') {
      const group = state.conversations.get(spaceId);
      if (!group || group.type !== 'group') return failed('群不存在');
      if (!group.clientIds.includes(app.clientId)) return failed('机器人不存在,请检查机器人是否在群内');
      conversationId = group.id;
    } else {
      if (app.recipients.invalid.includes(spaceId)) return failed('用户不存在');
      conversationId = state.ensureConversation({
        type: 'single',
        clientId: app.clientId,
        members: [spaceId],
      }).id;
    }
    const space: CardSpace = {
      spaceType,
      spaceId,
      conversationId,
      carrierId: randomBytes(18).toString('base64'),
      deliveredAt: this.context.clock.now(),
    };
    card.spaces.push(space);
    return { spaceType, spaceId, success: true, carrierId: space.carrierId };
  }

  private setPrivateData(card: SimCard, userId: string, map: ParamMap, byKey: boolean): void {
    card.privateData.set(userId, byKey ? { ...card.privateData.get(userId), ...map } : { ...map });
  }

  private noteUnknownVariables(card: SimCard, map: ParamMap): void {
    const declared = new Set(this.templateRegistry.get(card.templateId)?.variables.map((item) => item.name));
    for (const key of Object.keys(map)) {
      if (!declared.has(key) && !card.unknownVariables.includes(key)) card.unknownVariables.push(key);
    }
  }

  private touch(card: SimCard): void {
    card.updatedAt = this.context.clock.now();
    card.version += 1;
  }

  private loadBuiltIns(): void {
    for (const { id, template } of this.builtInTemplates) this.registerTemplate(id, template);
  }

  private reset(): void {
    this.cards.clear();
    this.templateRegistry.clear();
    this.loadBuiltIns();
  }
}

function refusal(code: string, message: string): CardRefusal {
  return { status: 400, code, message };
}

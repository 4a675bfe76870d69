import { FastifyInstance, FastifyReply } from 'fastify';
import { headerTokenApp } from '../apps/app-answers';
import { newApiError } from '../core/dingtalk-answers';
import { SimulatorContext } from '../core/simulator-context';
import { SimApp } from '../core/simulator-state';
import { StreamControlError, StreamGateway } from '../stream/stream-gateway';
import { RenderedCard } from './card-render';
import {
  CardRefusal,
  lackingSpaceModel,
  readCreateRequest,
  readDeliverRequest,
  readUpdateRequest,
} from './card-requests';
import { CardControlError, CardStore, SimCard } from './card-store';
import { CardTemplateError, SimCardTemplate } from './card-template';

type Body = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function describeRendered(rendered: RenderedCard) {
  return {
    parts: rendered.parts,
    buttons: rendered.buttons.map((button) => ({
      text: button.text,
      action_id: button.actionId,
      calls_back: button.callsBack,
      params: button.params,
    })),
  };
}

/** A card as the control API shows it: its data, where it went, what it shows now and every click with its ACK. */
export function describeCard(card: SimCard, store: CardStore, gateway: StreamGateway) {
  return {
    out_track_id: card.outTrackId,
    client_id: card.clientId,
    template_id: card.templateId,
    callback_type: card.callbackType,
    card_data: card.cardData,
    private_data: Object.fromEntries(card.privateData),
    unknown_variables: card.unknownVariables,
    spaces: card.spaces.map((space) => ({
      space_type: space.spaceType,
      space_id: space.spaceId,
      conversation_id: space.conversationId,
      carrier_id: space.carrierId,
      delivered_at: space.deliveredAt,
    })),
    shown: describeRendered(store.render(card)),
    created_at: card.createdAt,
    updated_at: card.updatedAt,
    version: card.version,
    clicks: card.clicks.map((click) => ({
      message_id: click.messageId,
      action_id: click.actionId,
      user_id: click.userId,
      space_type: click.spaceType,
      space_id: click.spaceId,
      params: click.params,
      at: click.at,
      deliveries: gateway.deliveriesOf(click.messageId),
      acked_at: click.ack?.at ?? null,
      ack_updated_card: click.ack?.updated ?? false,
    })),
  };
}

function describeTemplate(template: SimCardTemplate) {
  return { template_id: template.id, variables: template.variables };
}

/**
 * DingTalk's interactive card API (docs/dingtalk/cards.md) with the app token in `x-acs-dingtalk-access-token`, and
 * the controls of cards under `/_sim/cards` and `/_sim/card-templates`. Refusals are the new API's HTTP 400
 * `{code, message, requestid}`.
 */
export function registerCards(
  app: FastifyInstance,
  context: SimulatorContext,
  store: CardStore,
  gateway: StreamGateway,
): void {
  const { state } = context;
  const refuse = (reply: FastifyReply, refusal: CardRefusal) =>
    newApiError(reply, refusal.status, refusal.code, refusal.message);
  /** The token's app, or the refusal already sent. */
  const authorised = (header: string | string[] | undefined, reply: FastifyReply): SimApp | null => {
    const auth = headerTokenApp(state, header);
    if ('code' in auth) {
      void newApiError(reply, 400, auth.code, auth.message);
      return null;
    }
    return auth.app;
  };

  app.post('/v1.0/card/instances', (request, reply) => {
    const owner = authorised(request.headers['x-acs-dingtalk-access-token'], reply);
    if (!owner) return reply;
    const create = readCreateRequest(request.body);
    if (!create.ok) return refuse(reply, create.refusal);
    const card = store.create(owner, create.value);
    if ('code' in card) return refuse(reply, card);
    return { success: true, result: card.outTrackId };
  });

  app.post('/v1.0/card/instances/deliver', (request, reply) => {
    const owner = authorised(request.headers['x-acs-dingtalk-access-token'], reply);
    if (!owner) return reply;
    const deliver = readDeliverRequest(request.body);
    if (!deliver.ok) return refuse(reply, deliver.refusal);
    const results = store.deliver(owner, deliver.value);
    if ('code' in results) return refuse(reply, results);
    return { success: true, result: results };
  });

  app.post('/v1.0/card/instances/createAndDeliver', (request, reply) => {
    const owner = authorised(request.headers['x-acs-dingtalk-access-token'], reply);
    if (!owner) return reply;
    const create = readCreateRequest(request.body);
    if (!create.ok) return refuse(reply, create.refusal);
    const deliver = readDeliverRequest(request.body);
    if (!deliver.ok) return refuse(reply, deliver.refusal);
    // Every check first, so that a refused request leaves no card behind.
    const lacking = lackingSpaceModel(create.value.spaceModels, deliver.value.spaces);
    if (lacking) return refuse(reply, lacking);
    const card = store.create(owner, create.value);
    if ('code' in card) return refuse(reply, card);
    const results = store.deliver(owner, deliver.value);
    if ('code' in results) return refuse(reply, results);
    return { success: true, result: { outTrackId: card.outTrackId, deliverResults: results } };
  });

  app.put('/v1.0/card/instances', (request, reply) => {
    const owner = authorised(request.headers['x-acs-dingtalk-access-token'], reply);
    if (!owner) return reply;
    const update = readUpdateRequest(request.body);
    if (!update.ok) return refuse(reply, update.refusal);
    const card = store.update(owner, update.value);
    if ('code' in card) return refuse(reply, card);
    return { success: true, result: true };
  });

  app.get<{ Querystring: { client_id?: string; conversation_id?: string } }>('/_sim/cards', (request) =>
    store
      .all({ clientId: request.query.client_id, conversationId: request.query.conversation_id })
      .map((card) => describeCard(card, store, gateway)),
  );

  app.get<{ Params: { outTrackId: string } }>('/_sim/cards/:outTrackId', (request, reply) => {
    const card = store.card(request.params.outTrackId);
    if (!card) return reply.code(404).send({ error: `No card with outTrackId ${request.params.outTrackId}` });
    return describeCard(card, store, gateway);
  });

  app.post<{ Params: { outTrackId: string } }>('/_sim/cards/:outTrackId/click', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    if (!text(body.action_id) && !text(body.text)) {
      return reply.code(400).send({ error: 'action_id (or text, the button label) is required' });
    }
    try {
      const { click, push } = store.click(request.params.outTrackId, {
        actionId: text(body.action_id),
        text: text(body.text),
        userId: text(body.user_id),
        spaceId: text(body.space_id),
      });
      return reply.code(201).send({
        message_id: click.messageId,
        connection_id: push.connectionId,
        delivered: push.delivered,
        action_id: click.actionId,
        user_id: click.userId,
        space_type: click.spaceType,
        space_id: click.spaceId,
        params: click.params,
      });
    } catch (error) {
      if (error instanceof CardControlError || error instanceof StreamControlError) {
        return reply.code(error.status).send({ error: error.message });
      }
      throw error;
    }
  });

  app.get('/_sim/card-templates', () => store.templates().map(describeTemplate));

  app.post('/_sim/card-templates', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const id = text(body.template_id);
    if (!id || body.template === undefined) {
      return reply.code(400).send({
        error: 'template_id and template (the card platform export, as JSON or its text) are required',
      });
    }
    try {
      return reply.code(201).send(describeTemplate(store.registerTemplate(id, body.template)));
    } catch (error) {
      if (error instanceof CardTemplateError) return reply.code(400).send({ error: error.message });
      throw error;
    }
  });
}

import { FastifyInstance, FastifyReply } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { STAFF_MESSAGE_TYPES } from './bot-message';
import { BotMessageOutcome } from './bot-message-log';
import {
  RefusalMode,
  SimEventPush,
  SimStreamConnection,
  StreamControlError,
  StreamGateway,
} from './stream-gateway';

/** A live connection as the control API shows it. */
export function describeConnection(connection: SimStreamConnection) {
  return {
    id: connection.id,
    client_id: connection.clientId,
    opened_at: connection.openedAt,
    draining: connection.draining,
    silent: connection.silent,
    subscriptions: connection.subscriptions,
  };
}

/** A bot message as the control API shows it: when it went out, its ACKs and the replies through its session. */
export function describeBotMessage(message: BotMessageOutcome) {
  return {
    msg_id: message.msgId,
    message_id: message.messageId,
    client_id: message.clientId,
    conversation_id: message.conversationId,
    conversation_type: message.conversationType,
    sender_staff_id: message.senderStaffId,
    pushed_at: message.pushedAt,
    deliveries: message.deliveries,
    acks: message.acks.map((ack) => ({ at: ack.at, code: ack.code, connection_id: ack.connectionId })),
    replies: message.replies.map((reply) => ({
      at: reply.arrivedAt,
      errcode: reply.errcode,
      msgtype: reply.msgtype,
      text: reply.text,
    })),
  };
}

/** An EVENT push as the control API shows it: its ACK status and how often it went out. */
export function describeEvent(event: SimEventPush) {
  return {
    message_id: event.messageId,
    event_id: event.eventId,
    event_type: event.eventType,
    client_id: event.clientId,
    data: event.data,
    born_at: event.bornAt,
    deliveries: event.deliveries,
    ack_status: event.ackStatus,
    consumed: event.consumed,
  };
}

type Body = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The answer as XML. DingTalk does not document its XML, so the shape is the usual one of its API gateway's XML
 * answers (one element per field); what matters is that a client expecting JSON cannot read it.
 */
function toXml(answer: { status: number; body: object }): string {
  const escape = (value: unknown) => String(value).replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
  const root = answer.status === 200 ? 'OpenConnectionResponse' : 'Error';
  const fields = Object.entries(answer.body)
    .map(([name, value]) => `<${name}>${escape(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><${root}>${fields}</${root}>`;
}

/** Runs a control action; a StreamControlError becomes its status with `{error}`, which the web page shows. */
function control(reply: FastifyReply, action: () => unknown) {
  try {
    return action();
  } catch (error) {
    if (error instanceof StreamControlError) return reply.code(error.status).send({ error: error.message });
    throw error;
  }
}

/** The Stream gateway's public routes (docs/dingtalk/stream-mode.md) and its controls under `/_sim/stream/…`. */
export function registerStreamGateway(
  app: FastifyInstance,
  context: SimulatorContext,
  gateway: StreamGateway,
): void {
  app.server.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head));
  context.onClose(() => gateway.close());

  app.post('/v1.0/gateway/connections/open', (request, reply) => {
    const accept = request.headers.accept ?? null;
    const answer = gateway.open(request.body, {
      accept,
      contentType: request.headers['content-type'] ?? null,
    });
    // Without `Accept: application/json` the gateway answers XML (docs/dingtalk/stream-mode.md).
    if (!/json/i.test(accept ?? '')) {
      return reply.code(answer.status).type('application/xml; charset=utf-8').send(toXml(answer));
    }
    return reply.code(answer.status).send(answer.body);
  });

  app.get<{ Querystring: { client_id?: string } }>('/_sim/stream/opens', (request) =>
    gateway.opens.filter((open) => !request.query.client_id || open.clientId === request.query.client_id),
  );

  app.get<{ Querystring: { client_id?: string } }>('/_sim/stream/connections', (request) =>
    gateway.connections(request.query.client_id).map(describeConnection),
  );

  app.post('/_sim/stream/bot-messages', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const clientId = text(body.client_id);
    const msgtype = body.msgtype ?? 'text';
    const content = text(body.text) ?? (msgtype === 'text' ? undefined : '');
    const conversationType = body.conversation_type ?? '1';
    const known = STAFF_MESSAGE_TYPES.find((type) => type === msgtype);
    if (
      !clientId ||
      content === undefined ||
      !known ||
      (conversationType !== '1' && conversationType !== '2')
    ) {
      return reply.code(400).send({
        error:
          "client_id is required, and text for a text message; conversation_type is '1' (one-to-one) or '2' (group); " +
          `msgtype is one of ${STAFF_MESSAGE_TYPES.join(', ')}`,
      });
    }
    return control(reply, () => {
      const result = gateway.sendBotMessage({
        clientId,
        conversationType,
        conversationId: text(body.conversation_id),
        conversationTitle: text(body.conversation_title),
        senderStaffId: text(body.sender_staff_id),
        senderNick: text(body.sender_nick),
        msgtype: known,
        external: body.external === true,
        text: content,
      });
      return reply.code(201).send({
        msg_id: result.msgId,
        message_id: result.messageId,
        connection_id: result.connectionId,
        delivered: result.delivered,
        conversation_id: result.conversationId,
        session_webhook: result.sessionWebhook,
      });
    });
  });

  app.get<{ Querystring: { client_id?: string; conversation_id?: string } }>(
    '/_sim/stream/bot-messages',
    (request) =>
      gateway
        .botMessages({ clientId: request.query.client_id, conversationId: request.query.conversation_id })
        .map(describeBotMessage),
  );

  app.post('/_sim/stream/events', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const clientId = text(body.client_id);
    const eventType = text(body.event_type);
    if (!clientId || !eventType || typeof body.data !== 'object' || body.data === null) {
      return reply.code(400).send({
        error: 'client_id, event_type and data (a JSON object: the event payload) are required',
      });
    }
    return control(reply, () => {
      const result = gateway.sendEvent({
        clientId,
        eventType,
        data: body.data,
        eventId: text(body.event_id),
      });
      return reply.code(201).send({
        message_id: result.messageId,
        event_id: result.eventId,
        connection_id: result.connectionId,
        delivered: result.delivered,
      });
    });
  });

  app.get<{ Querystring: { client_id?: string } }>('/_sim/stream/events', (request) =>
    gateway.events(request.query.client_id).map(describeEvent),
  );

  app.post<{ Params: { messageId: string } }>(
    '/_sim/stream/messages/:messageId/redeliver',
    (request, reply) =>
      control(reply, () => ({ connection_id: gateway.redeliver(request.params.messageId).connectionId })),
  );

  app.get<{ Params: { messageId: string } }>('/_sim/stream/messages/:messageId', (request) => ({
    message_id: request.params.messageId,
    deliveries: gateway.deliveriesOf(request.params.messageId),
    acks: gateway.acksOf(request.params.messageId),
  }));

  app.post<{ Params: { id: string } }>('/_sim/stream/connections/:id/drop', (request, reply) => {
    const mode = (request.body as Body | undefined)?.mode === 'close' ? 'close' : 'terminate';
    return control(reply, () => {
      gateway.drop(request.params.id, mode);
      return { dropped: request.params.id, mode };
    });
  });

  app.post<{ Params: { id: string } }>('/_sim/stream/connections/:id/disconnect', (request, reply) =>
    control(reply, () => {
      gateway.disconnect(request.params.id, text((request.body as Body | undefined)?.reason));
      return { disconnecting: request.params.id };
    }),
  );

  app.post<{ Params: { id: string } }>('/_sim/stream/connections/:id/garbage', (request, reply) =>
    control(reply, () => {
      gateway.sendGarbage(request.params.id, text((request.body as Body | undefined)?.text));
      return { sent: true };
    }),
  );

  app.post<{ Params: { id: string } }>('/_sim/stream/connections/:id/ping', (request, reply) =>
    control(reply, () => {
      const ping = gateway.ping(request.params.id);
      return { message_id: ping.messageId, opaque: ping.opaque };
    }),
  );

  app.post<{ Params: { id: string } }>('/_sim/stream/connections/:id/silent', (request, reply) =>
    control(reply, () => {
      const silent = (request.body as Body | undefined)?.silent !== false;
      gateway.setSilent(request.params.id, silent);
      return { silent };
    }),
  );

  app.post('/_sim/stream/refuse-open', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const mode = (body.mode ?? 'bad_credentials') as RefusalMode;
    const count = typeof body.count === 'number' && body.count > 0 ? body.count : 1;
    if (mode !== 'bad_credentials' && mode !== 'http_500') {
      return reply.code(400).send({ error: "mode is 'bad_credentials' or 'http_500'" });
    }
    gateway.refuseOpen(text(body.client_id) ?? '*', count, mode);
    return reply.code(201).send({ client_id: text(body.client_id) ?? '*', count, mode });
  });

  app.delete('/_sim/stream/refuse-open', () => {
    gateway.clearRefusals();
    return { cleared: true };
  });
}

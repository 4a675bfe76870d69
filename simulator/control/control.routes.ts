import { FastifyInstance } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import {
  AppRecipientRules,
  FaultMode,
  ROBOT_THROTTLE_CODES,
  SimApp,
  SimChannel,
  SimConversation,
  SimRobot,
} from '../core/simulator-state';

const FAULT_MODES: FaultMode[] = ['http_500', 'timeout', 'errcode', 'http_429', 'html_page', 'slow'];

/** Groups one `POST /_sim/apps/:client_id/groups` adds at most: a chain's worth, in one request. */
const MAX_GROUPS_PER_REQUEST = 5000;

/** A robot as the control API shows it: with its webhook URL, without the bookkeeping. */
export function describeRobot(robot: SimRobot, baseUrl: string) {
  return {
    token: robot.token,
    name: robot.name,
    secret: robot.secret,
    enabled: robot.enabled,
    keywords: robot.keywords,
    rate_per_minute: robot.ratePerMinute,
    throttled_until: robot.throttledUntil,
    throttle_errcode: robot.throttleErrcode,
    webhook: `${baseUrl}/robot/send?access_token=${robot.token}`,
  };
}

/** An app as the control API shows it. The simulator's secrets are fake, so tests and demos may read them back. */
export function describeApp(app: SimApp) {
  return {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    agent_id: app.agentId,
    robot_code: app.robotCode,
    token_ttl_seconds: app.tokenTtlSeconds,
    flow_controlled_user_ids: app.recipients.flowControlled,
    invalid_user_ids: app.recipients.invalid,
    flow_control_all: app.recipients.flowControlAll,
    failed_user_ids: app.recipients.workFailed,
    send_result_delay_ms: app.sendResultDelayMs,
    monthly_quota: app.monthlyQuota,
  };
}

export function describeConversation(conversation: SimConversation) {
  return {
    open_conversation_id: conversation.id,
    title: conversation.title,
    type: conversation.type,
    client_ids: conversation.clientIds,
    members: conversation.members,
    created_at: conversation.createdAt,
  };
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The recipient rules a control request names; fields it leaves out are not in the result. */
function recipientRules(body: Record<string, unknown>): Partial<AppRecipientRules> {
  const rules: Partial<AppRecipientRules> = {};
  const flowControlled = strings(body.flow_controlled_user_ids);
  const invalid = strings(body.invalid_user_ids);
  if (flowControlled) rules.flowControlled = flowControlled;
  if (invalid) rules.invalid = invalid;
  if (typeof body.flow_control_all === 'boolean') rules.flowControlAll = body.flow_control_all;
  const workFailed = strings(body.failed_user_ids);
  if (workFailed) rules.workFailed = workFailed;
  return rules;
}

function delay(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The simulator's own API (`/_sim/…`), for tests and demos: register robots and apps, read what arrived, queue
 * faults, reset. Areas with their own controls (stream) add routes under `/_sim/` too.
 */
export function registerControlApi(app: FastifyInstance, context: SimulatorContext): void {
  const { state } = context;

  app.post('/_sim/robots', (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const throttleErrcode = ROBOT_THROTTLE_CODES.find((code) => code === body.throttle_errcode);
    if (body.throttle_errcode !== undefined && throttleErrcode === undefined) {
      return reply.code(400).send({ error: `throttle_errcode is one of ${ROBOT_THROTTLE_CODES.join(', ')}` });
    }
    const robot = state.registerRobot({
      throttleErrcode,
      token: text(body.token),
      name: text(body.name),
      secret: text(body.secret) ?? null,
      keywords: strings(body.keywords),
      ratePerMinute: positive(body.rate_per_minute),
    });
    return reply.code(201).send(describeRobot(robot, context.baseUrl()));
  });

  // Breaking (and mending) a robot as its group's owner would: a new 加签 secret (the bot's no longer matches), or the
  // robot switched off.
  app.patch<{ Params: { token: string } }>('/_sim/robots/:token', (request, reply) => {
    const robot = state.robots.get(request.params.token);
    if (!robot) return reply.code(404).send({ error: `no robot with token ${request.params.token}` });
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.secret !== undefined && body.secret !== null && typeof body.secret !== 'string') {
      return reply.code(400).send({ error: 'secret is a string (SEC…) or null' });
    }
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
      return reply.code(400).send({ error: 'enabled is true or false' });
    }
    if (body.secret !== undefined) robot.secret = body.secret || null;
    if (body.enabled !== undefined) robot.enabled = body.enabled;
    return describeRobot(robot, context.baseUrl());
  });

  app.get('/_sim/robots', () =>
    [...state.robots.values()].map((robot) => describeRobot(robot, context.baseUrl())),
  );

  app.post('/_sim/apps', (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const created = state.registerApp({
      clientId: text(body.client_id),
      clientSecret: text(body.client_secret),
      agentId: text(body.agent_id),
      tokenTtlSeconds: positive(body.token_ttl_seconds),
      sendResultDelayMs: delay(body.send_result_delay_ms),
      recipients: recipientRules(body),
      monthlyQuota:
        typeof body.monthly_quota === 'number' && body.monthly_quota >= 0 ? body.monthly_quota : null,
    });
    return reply.code(201).send(describeApp(created));
  });

  // Per-user outcomes of robot and work-notification sends can change while a test runs (e.g. a throttle that lifts).
  app.patch<{ Params: { clientId: string } }>('/_sim/apps/:clientId', (request, reply) => {
    const found = state.apps.get(request.params.clientId);
    if (!found) return reply.code(404).send({ error: `no app with client_id ${request.params.clientId}` });
    const body = (request.body ?? {}) as Record<string, unknown>;
    Object.assign(found.recipients, recipientRules(body));
    const resultDelay = delay(body.send_result_delay_ms);
    if (resultDelay !== undefined) found.sendResultDelayMs = resultDelay;
    if (body.monthly_quota === null || (typeof body.monthly_quota === 'number' && body.monthly_quota >= 0))
      found.monthlyQuota = body.monthly_quota;
    // A new AppSecret (revoked in the developer console): the service's copy is refused from now on.
    const clientSecret = text(body.client_secret);
    if (clientSecret !== undefined) found.clientSecret = clientSecret;
    return describeApp(found);
  });

  app.get('/_sim/apps', () => [...state.apps.values()].map(describeApp));

  app.post('/_sim/conversations', (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const type = body.type === 'single' ? 'single' : 'group';
    const clientId = text(body.client_id);
    if (clientId && !state.apps.has(clientId)) {
      return reply
        .code(400)
        .send({ error: `no app with client_id ${clientId}; register it at /_sim/apps first` });
    }
    const conversation = state.ensureConversation({
      id: text(body.open_conversation_id),
      title: text(body.title),
      type,
      clientId,
      members: strings(body.members),
    });
    return reply.code(201).send(describeConversation(conversation));
  });

  app.get('/_sim/conversations', () => [...state.conversations.values()].map(describeConversation));

  // One app for many groups (a chain's app, its robot in every store's group): where its Stream bot hears from.
  app.get<{ Params: { clientId: string } }>('/_sim/apps/:clientId/groups', (request, reply) => {
    if (!state.apps.has(request.params.clientId)) {
      return reply.code(404).send({ error: `no app with client_id ${request.params.clientId}` });
    }
    return state.groupsOf(request.params.clientId).map(describeConversation);
  });

  app.post<{ Params: { clientId: string } }>('/_sim/apps/:clientId/groups', (request, reply) => {
    const clientId = request.params.clientId;
    if (!state.apps.has(clientId))
      return reply.code(404).send({ error: `no app with client_id ${clientId}` });
    const groups = (request.body as { groups?: unknown } | null)?.groups;
    if (!Array.isArray(groups) || groups.length === 0 || groups.length > MAX_GROUPS_PER_REQUEST) {
      return reply.code(400).send({
        error: `groups is a list of 1 to ${MAX_GROUPS_PER_REQUEST} {open_conversation_id?, title?, members?}`,
      });
    }
    const added = groups.map((item: unknown) => {
      const group = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      return state.ensureConversation({
        id: text(group.open_conversation_id),
        title: text(group.title),
        type: 'group',
        clientId,
        members: strings(group.members),
      });
    });
    return reply.code(201).send(added.map(describeConversation));
  });

  app.get<{ Querystring: { channel?: SimChannel; target?: string; client_id?: string } }>(
    '/_sim/messages',
    (request) =>
      state.received({
        channel: request.query.channel,
        target: request.query.target,
        clientId: request.query.client_id,
      }),
  );

  /** A staff member's name in the organisation's address book (what `/topapi/v2/user/get` answers). */
  app.put<{ Params: { userId: string } }>('/_sim/staff/:userId', (request, reply) => {
    const name = (request.body as Record<string, unknown> | null)?.name;
    if (typeof name !== 'string' || name.trim() === '') {
      return reply.code(400).send({ error: 'name is required' });
    }
    state.staffNames.set(request.params.userId, name.trim());
    return { user_id: request.params.userId, name: name.trim() };
  });

  app.post('/_sim/faults', (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const path = text(body.path);
    const mode = body.mode as FaultMode;
    if (!path || !FAULT_MODES.includes(mode)) {
      return reply.code(400).send({ error: `path and mode (${FAULT_MODES.join(', ')}) are required` });
    }
    const probability = body.probability;
    if (
      probability !== undefined &&
      (typeof probability !== 'number' || !(probability > 0) || !(probability <= 1))
    ) {
      return reply.code(400).send({ error: 'probability is a number, 0 < probability ≤ 1' });
    }
    state.addFault({
      path,
      mode,
      remaining: positive(body.count) ?? 1,
      probability,
      errcode:
        typeof body.errcode === 'number' || typeof body.errcode === 'string' ? body.errcode : undefined,
      errmsg: text(body.errmsg),
      httpStatus:
        typeof body.http_status === 'number' &&
        Number.isInteger(body.http_status) &&
        body.http_status >= 200 &&
        body.http_status <= 599
          ? body.http_status
          : undefined,
      retryAfter: typeof body.retry_after === 'number' ? String(body.retry_after) : text(body.retry_after),
      delayMs: positive(body.delay_ms),
    });
    return reply.code(201).send({ queued: state.faults });
  });

  // DingTalk's standing per-IP ceiling (simulator/core/ip-limit.ts), e.g. {"window_ms":20000,"max_calls":30,"block_ms":300000}.
  app.put('/_sim/ip-limit', (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const windowMs = positive(body.window_ms);
    const maxCalls = positive(body.max_calls);
    const blockMs = positive(body.block_ms) ?? 300_000;
    if (windowMs === undefined || maxCalls === undefined) {
      return reply.code(400).send({ error: 'window_ms and max_calls are positive integers' });
    }
    state.ipLimit.set({ windowMs, maxCalls, blockMs, answer: body.answer === 'html' ? 'html' : 'json' });
    return { ...state.ipLimit.limit, blockedUntil: state.ipLimit.blockedUntil };
  });
  app.get('/_sim/ip-limit', () => ({
    limit: state.ipLimit.limit,
    blocked_until: state.ipLimit.blockedUntil,
    passed: state.ipLimit.log.passed.length,
    blocked: state.ipLimit.log.blocked.length,
  }));
  app.delete('/_sim/ip-limit', () => {
    state.ipLimit.reset();
    return { limit: null };
  });

  app.delete('/_sim/faults', () => {
    state.faults = [];
    return { queued: [] };
  });

  app.post('/_sim/reset', () => {
    state.reset();
    return { reset: true };
  });
}

import { randomBytes } from 'node:crypto';
import { IpLimiter } from './ip-limit';
import { SimClock } from './sim-clock';

/** A custom group robot (docs/dingtalk/custom-robot.md) as its group's owner configured it. */
export interface SimRobot {
  token: string;
  name: string;
  /** The 加签 secret (`SEC…`); null when the robot does not check signatures. */
  secret: string | null;
  /** Switched off in the group's settings: every message is refused (`400102`, docs/dingtalk/custom-robot.md). */
  enabled: boolean;
  /** Custom keywords: a message must contain one of them. Empty: no keyword rule. */
  keywords: string[];
  /** Messages a minute before DingTalk throttles the robot (docs/dingtalk/custom-robot.md: 20). */
  ratePerMinute: number;
  /** Arrival times of the accepted messages of the last minute. */
  recentSends: number[];
  /** While set and in the future, every message is refused as throttled. */
  throttledUntil: number | null;
  /**
   * The code this robot's throttling answers with: DingTalk has been seen answering each of the three
   * (docs/dingtalk/custom-robot.md, Answers), so a client must pause on all of them.
   */
  throttleErrcode: RobotThrottleCode;
}

export const ROBOT_THROTTLE_CODES = [410100, 130101, 660026] as const;
export type RobotThrottleCode = (typeof ROBOT_THROTTLE_CODES)[number];

/** An enterprise internal app (client id = AppKey, client secret = AppSecret). */
export interface SimApp {
  clientId: string;
  clientSecret: string;
  agentId: string;
  /** Robot code of the app's robot; DingTalk uses the client id. */
  robotCode: string;
  /** Lifetime of the access tokens it hands out, in seconds (DingTalk: 7200). */
  tokenTtlSeconds: number;
  /**
   * How one-to-one robot sends (`oToMessages/batchSend`) treat each user: `flowControlled` users are throttled and
   * listed in `flowControlledStaffIdList`, `invalid` ones (unknown to the organisation) in `invalidStaffIdList`;
   * HTTP 200 either way (docs/dingtalk/robot-messages.md). `flowControlAll`: every user is throttled. `invalid` users
   * are unknown to work notifications too (`invalid_user_id_list` of `getsendresult`), and `workFailed` users are
   * listed in its `failed_user_id_list` (docs/dingtalk/work-notifications.md).
   */
  recipients: AppRecipientRules;
  /**
   * DingTalk sends work notifications asynchronously: `getsendresult` lists nobody of a task until this much time has
   * passed since `asyncsend_v2` (docs/dingtalk/work-notifications.md). 0: at once.
   */
  sendResultDelayMs: number;
  /**
   * The organisation's monthly API quota (docs/dingtalk/README.md, "Call limits"): calls of the metered send APIs
   * per calendar month, China time; past it they answer `90020` (old API) or HTTP 403
   * `Forbidden.AccessDenied.ApiCountLimitForOrg` (new API) until the next month. Null: unlimited.
   */
  monthlyQuota: number | null;
}

export interface AppRecipientRules {
  flowControlled: string[];
  invalid: string[];
  flowControlAll: boolean;
  workFailed: string[];
}

/**
 * Where a message arrived, and so how the page groups it. `staff`: what a staff member wrote to a bot (Stream),
 * target the conversation id, so that the page can show both sides of a chat.
 */
export type SimChannel = 'robot' | 'work_notification' | 'group' | 'oto' | 'session' | 'staff';

/** One request that reached the simulator's send endpoints, accepted or not. */
export interface SimMessage {
  id: number;
  channel: SimChannel;
  /** Robot token, conversation id, user id or session id: who received it. */
  target: string;
  /** The app, for app channels. */
  clientId: string | null;
  msgtype: string | null;
  /** The message's visible title (markdown) and text, decoded from the body. */
  title: string | null;
  text: string | null;
  body: unknown;
  /** `valid`, `invalid`, `expired` or `absent` (webhook signatures); null where nothing is signed. */
  signature: 'valid' | 'invalid' | 'expired' | 'absent' | null;
  /** The request's `Content-Type` header, for the custom-robot channels (`robot`, `session`) that check it. */
  contentType?: string | null;
  /** What the simulator answered: 0 when accepted. */
  errcode: number | string;
  errmsg: string;
  arrivedAt: number;
  /**
   * Replies through a `sessionWebhook` (channel `session`): the session they came through. Each bot message opens
   * its own session, so this names the message a reply answers (`GET /_sim/stream/bot-messages`).
   */
  sessionId?: string;
  /** Work notifications: the `task_id` DingTalk answered (docs/dingtalk/work-notifications.md), for `getsendresult`. */
  taskId?: number;
  /**
   * Accepted yet never shown to the user. Work notifications past DingTalk's daily limits
   * (docs/dingtalk/work-notifications.md): the `forbidden_list` code (143105 daily quota, 143106 same content twice a
   * day), or `invalidUserId` / `failed` for the users the app marks so. One-to-one robot sends: `flowControlled` or
   * `invalidStaffId`. Absent when delivered.
   */
  droppedCode?: number | string;
}

/** An app access token (docs/dingtalk/access-tokens.md): one per app at a time, valid on both API families. */
export interface SimToken {
  token: string;
  clientId: string;
  expiresAt: number;
}

/** Why a send API refuses the token it was given. */
export type TokenCheck =
  { ok: true; app: SimApp } | { ok: false; problem: 'missing' | 'unknown' | 'expired' };

/**
 * A conversation's reply channel (docs/dingtalk/stream-mode.md `sessionWebhook`, docs/dingtalk/robot-messages.md): the
 * gateway opens one with each bot message it delivers; `POST /robot/sendBySession` accepts replies through it until it
 * expires (90 minutes), then `300001`.
 */
export interface SimSession {
  id: string;
  clientId: string;
  conversationId: string;
  /** '1' one-to-one, '2' group (docs/dingtalk/stream-mode.md). */
  conversationType: '1' | '2';
  senderStaffId: string;
  expiresAt: number;
}

/**
 * A DingTalk conversation an app robot is in: a group (`openConversationId`, docs/dingtalk/stream-mode.md
 * `conversationId`, docs/dingtalk/robot-messages.md) or a one-to-one chat between one staff member and the robot. Tests
 * register groups explicitly (`POST /_sim/conversations`); the Stream gateway creates them when a staff member writes
 * to a bot.
 */
export interface SimConversation {
  /** `cid…==`, the openConversationId. */
  id: string;
  title: string;
  type: 'group' | 'single';
  /** Client ids (AppKeys) of the apps whose robot is in the conversation. */
  clientIds: string[];
  /** Staff userids in the conversation. */
  members: string[];
  createdAt: number;
}

export interface EnsureConversationInput {
  /**
   * Reuse or create this openConversationId; without it a fresh `cid…==` is made (for `single`: the pair's chat is
   * reused).
   */
  id?: string;
  title?: string;
  type?: SimConversation['type'];
  /** The app robot that is (or joins) the conversation. */
  clientId?: string;
  members?: string[];
}

/** The Stream payload's `conversationType` for each kind of conversation (docs/dingtalk/stream-mode.md). */
export function conversationTypeCode(type: SimConversation['type']): '1' | '2' {
  return type === 'single' ? '1' : '2';
}

export const SESSION_TTL_MS = 90 * 60 * 1000;

export type FaultMode = 'http_500' | 'timeout' | 'errcode' | 'http_429' | 'html_page' | 'slow';

/**
 * The next `remaining` requests whose path starts with `path` fail as `mode` says; or, with `probability`, each such
 * request fails with that probability until the faults are cleared (`remaining` is then not counted down).
 */
export interface SimFault {
  path: string;
  mode: FaultMode;
  remaining: number;
  /** 0 < p ≤ 1: a standing fault that hits this share of the matching requests, at random. */
  probability?: number;
  /** For `errcode`: the code and message to answer with (HTTP 200 for oapi paths, 400 for /v1.0 paths). */
  errcode?: number | string;
  errmsg?: string;
  /**
   * For `errcode`: the HTTP status instead of DingTalk's usual one (e.g. 403 for `Forbidden.AccessDenied.*`,
   * docs/dingtalk/README.md).
   */
  httpStatus?: number;
  /** For `http_429` and `html_page`: the `Retry-After` header to send (seconds, or an HTTP date); none if unset. */
  retryAfter?: string;
  /** For `slow`: how long the answer is held back, in milliseconds of the simulator's clock. */
  delayMs?: number;
}

/**
 * Everything the simulator knows: registered robots and apps, what it received and the faults queued for the next
 * requests. One instance per simulator; the routes of every area read and write it, and so does the control API.
 */
export class SimulatorState {
  readonly robots = new Map<string, SimRobot>();
  readonly apps = new Map<string, SimApp>();
  readonly messages: SimMessage[] = [];
  readonly sessions = new Map<string, SimSession>();
  readonly conversations = new Map<string, SimConversation>();
  /**
   * The organisation's address book as `/topapi/v2/user/get` reads it: userid → name, given through the control API
   * (`PUT /_sim/staff/:userId`). A conversation's member without an entry is named `员工<userid>`, as bot messages
   * name their senders by default; anyone else is unknown (60121).
   */
  readonly staffNames = new Map<string, string>();
  readonly tokens = new Map<string, SimToken>();
  faults: SimFault[] = [];
  private nextMessageId = 1;
  private nextTaskId = 256271667526;

  /** DingTalk's standing per-IP ceiling, off until a test sets it (`PUT /_sim/ip-limit`). */
  readonly ipLimit = new IpLimiter();
  private readonly resetHooks: Array<() => void> = [];

  constructor(readonly clock: SimClock) {}

  registerRobot(
    input: Partial<
      Pick<SimRobot, 'token' | 'name' | 'secret' | 'keywords' | 'ratePerMinute' | 'throttleErrcode'>
    > = {},
  ): SimRobot {
    const robot: SimRobot = {
      token: input.token ?? randomBytes(32).toString('hex'),
      name: input.name ?? 'robot',
      secret: input.secret ?? null,
      enabled: true,
      keywords: input.keywords ?? [],
      ratePerMinute: input.ratePerMinute ?? 20,
      recentSends: [],
      throttledUntil: null,
      throttleErrcode: input.throttleErrcode ?? 410100,
    };
    this.robots.set(robot.token, robot);
    return robot;
  }

  /** Calls of each app's metered APIs in the current month (China time): `YYYY-MM` and the count. */
  private readonly quotaUsage = new Map<string, { month: string; used: number }>();

  /**
   * Counts one call of a metered API against the app's monthly quota: false (and not counted) when the month's
   * quota is used up.
   */
  meterCall(app: SimApp): { ok: true } | { ok: false; used: number; quota: number } {
    if (app.monthlyQuota === null) return { ok: true };
    const month = new Date(this.clock.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const usage = this.quotaUsage.get(app.clientId);
    const used = usage?.month === month ? usage.used : 0;
    if (used >= app.monthlyQuota) return { ok: false, used: used + 1, quota: app.monthlyQuota };
    this.quotaUsage.set(app.clientId, { month, used: used + 1 });
    return { ok: true };
  }

  registerApp(
    input: Partial<Omit<SimApp, 'robotCode' | 'recipients'>> & {
      recipients?: Partial<AppRecipientRules>;
    } = {},
  ): SimApp {
    const clientId = input.clientId ?? `ding${randomBytes(8).toString('hex')}`;
    const app: SimApp = {
      clientId,
      clientSecret: input.clientSecret ?? randomBytes(24).toString('base64url'),
      agentId: input.agentId ?? String(100000000 + Math.floor(Math.random() * 899999999)),
      robotCode: clientId,
      tokenTtlSeconds: input.tokenTtlSeconds ?? 7200,
      recipients: {
        flowControlled: [],
        invalid: [],
        flowControlAll: false,
        workFailed: [],
        ...input.recipients,
      },
      sendResultDelayMs: input.sendResultDelayMs ?? 0,
      monthlyQuota: input.monthlyQuota ?? null,
    };
    this.apps.set(app.clientId, app);
    return app;
  }

  /**
   * Finds the conversation (by id; for a one-to-one chat without an id, by its robot and staff member) or creates it,
   * then adds the robot and members that are not in it yet. Safe to call on every incoming message.
   */
  ensureConversation(input: EnsureConversationInput = {}): SimConversation {
    const type = input.type ?? 'group';
    const members = input.members ?? [];
    let conversation = input.id ? this.conversations.get(input.id) : undefined;
    if (!conversation && !input.id && type === 'single' && input.clientId && members.length > 0) {
      conversation = [...this.conversations.values()].find(
        (candidate) =>
          candidate.type === 'single' &&
          candidate.clientIds.includes(input.clientId as string) &&
          candidate.members.includes(members[0]),
      );
    }
    if (!conversation) {
      conversation = {
        id: input.id ?? `cid${randomBytes(16).toString('base64').replace(/=+$/, '')}==`,
        title: input.title ?? (type === 'single' ? (members[0] ?? 'chat') : 'group'),
        type,
        clientIds: [],
        members: [],
        createdAt: this.clock.now(),
      };
      this.conversations.set(conversation.id, conversation);
    }
    if (input.clientId && !conversation.clientIds.includes(input.clientId)) {
      conversation.clientIds.push(input.clientId);
    }
    for (const member of members)
      if (!conversation.members.includes(member)) conversation.members.push(member);
    return conversation;
  }

  /** The groups the app's robot is in, oldest first: where its Stream bot hears from and may send to. */
  groupsOf(clientId: string): SimConversation[] {
    return [...this.conversations.values()].filter(
      (conversation) => conversation.type === 'group' && conversation.clientIds.includes(clientId),
    );
  }

  /**
   * The app's token: the current one while it is valid, its life extended to a full TTL again
   * (docs/dingtalk/access-tokens.md: "fetching again inside that window returns the same token and extends its life");
   * a new one after expiry.
   */
  issueToken(app: SimApp): SimToken {
    const now = this.clock.now();
    const current = [...this.tokens.values()].find(
      (token) => token.clientId === app.clientId && token.expiresAt > now,
    );
    const expiresAt = now + app.tokenTtlSeconds * 1000;
    if (current) {
      current.expiresAt = expiresAt;
      return current;
    }
    const token: SimToken = { token: randomBytes(16).toString('hex'), clientId: app.clientId, expiresAt };
    this.tokens.set(token.token, token);
    return token;
  }

  checkToken(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, problem: 'missing' };
    const known = this.tokens.get(token);
    const app = known ? this.apps.get(known.clientId) : undefined;
    if (!known || !app) return { ok: false, problem: 'unknown' };
    if (known.expiresAt <= this.clock.now()) return { ok: false, problem: 'expired' };
    return { ok: true, app };
  }

  /** Work notification task ids (docs/dingtalk/work-notifications.md `task_id`): numbers, increasing. */
  newTaskId(): number {
    return this.nextTaskId++;
  }

  openSession(input: Omit<SimSession, 'id' | 'expiresAt'>): SimSession {
    const session: SimSession = {
      ...input,
      id: randomBytes(16).toString('hex'),
      expiresAt: this.clock.now() + SESSION_TTL_MS,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The URL a bot replies to (docs/dingtalk/robot-messages.md); its `session` parameter names the session. */
  sessionWebhook(baseUrl: string, session: SimSession): string {
    return `${baseUrl}/robot/sendBySession?session=${session.id}`;
  }

  record(message: Omit<SimMessage, 'id' | 'arrivedAt'>): SimMessage {
    const stored: SimMessage = { ...message, id: this.nextMessageId++, arrivedAt: this.clock.now() };
    this.messages.push(stored);
    return stored;
  }

  /** Received messages, oldest first, optionally of one channel, target or app. */
  received(
    filter: { channel?: SimChannel; target?: string; clientId?: string; accepted?: boolean } = {},
  ): SimMessage[] {
    return this.messages.filter(
      (message) =>
        (filter.channel === undefined || message.channel === filter.channel) &&
        (filter.target === undefined || message.target === filter.target) &&
        (filter.clientId === undefined || message.clientId === filter.clientId) &&
        (filter.accepted === undefined || (message.errcode === 0) === filter.accepted),
    );
  }

  addFault(fault: SimFault): void {
    this.faults.push({ ...fault });
  }

  /**
   * Takes one use of the first fault matching this path, if any. Standing faults (with a probability) are drawn in
   * turn: each one that matches hits with its probability, else the next is tried.
   */
  takeFault(path: string, random: () => number = Math.random): SimFault | null {
    const fault = this.faults.find(
      (candidate) =>
        path.startsWith(candidate.path) &&
        (candidate.probability === undefined ? candidate.remaining > 0 : random() < candidate.probability),
    );
    if (!fault) return null;
    if (fault.probability !== undefined) return { ...fault };
    fault.remaining -= 1;
    this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
    return { ...fault };
  }

  /** An area that keeps state of its own (simulator/cards/) forgets it with the rest on `reset`. */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  reset(): void {
    for (const hook of this.resetHooks) hook();
    this.robots.clear();
    this.apps.clear();
    this.sessions.clear();
    this.conversations.clear();
    this.staffNames.clear();
    this.tokens.clear();
    this.messages.length = 0;
    this.faults = [];
    this.quotaUsage.clear();
    this.ipLimit.reset();
  }
}

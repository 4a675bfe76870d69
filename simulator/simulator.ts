import Fastify, { FastifyInstance } from 'fastify';
import { registerAppTokens } from './apps/app-token.routes';
import { registerCards } from './cards/card.routes';
import { CardStore } from './cards/card-store';
import { repoCardTemplates } from './cards/repo-card-templates';
import { registerRobotMessages } from './apps/robot-messages.routes';
import { registerUserDirectory } from './apps/user-directory.routes';
import { registerWorkNotifications } from './apps/work-notification.routes';
import { registerControlApi } from './control/control.routes';
import { registerFaults, registerIpLimit } from './core/faults';
import { RealSimClock, SimClock } from './core/sim-clock';
import { acceptAnyBody, answerLikeDingTalk, BODY_LIMIT_BYTES } from './core/dingtalk-answers';
import { SimulatorContext } from './core/simulator-context';
import { SimulatorState } from './core/simulator-state';
import { registerPage } from './page/page.routes';
import { registerRobotWebhook } from './robots/robot-webhook.routes';
import { StreamGateway, StreamGatewayOptions } from './stream/stream-gateway';
import { registerStreamGateway } from './stream/stream.routes';
import { registerSessionWebhook } from './robots/session-webhook.routes';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * The address the service reaches the simulator at, when it is not the listening one (in docker compose:
   * `http://simulator:3900`, while the simulator listens on 0.0.0.0): webhook URLs, session webhooks, the Stream
   * endpoint and `env` use it.
   */
  publicUrl?: string;
  /** Share one clock with the service under test so both agree on what time it is (test/support/clocks.ts). */
  clock?: SimClock;
  /** Stream gateway behaviour: redelivery of un-ACKed callbacks, the close after `disconnect`, ticket lifetime. */
  stream?: StreamGatewayOptions;
  /**
   * The card templates known from the start (and again after `/_sim/reset`), as the card platform exports them;
   * by default the repository's (simulator/cards/repo-card-templates.ts).
   */
  cardTemplates?: ReadonlyArray<{ id: string; template: unknown }>;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT`: where it listens (control API, page). */
  url: string;
  state: SimulatorState;
  clock: SimClock;
  /**
   * The Stream gateway (docs/dingtalk/stream-mode.md): live connections, bot messages, ACKs, and the faults it can
   * cause.
   */
  stream: StreamGateway;
  /** Interactive cards (docs/dingtalk/cards.md): templates, card instances, clicks. */
  cards: CardStore;
  /**
   * The service's configuration that points it at this simulator (at `publicUrl` if given): both of DingTalk's API
   * hosts and the webhook origin, on one port.
   */
  env: { DINGTALK_OAPI_URL: string; DINGTALK_API_URL: string; DINGTALK_WEBHOOK_ORIGINS: string };
  close(): Promise<void>;
}

/** Starts an offline DingTalk (what it follows: docs/dingtalk/README.md) listening on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? new RealSimClock();
  const state = new SimulatorState(clock);
  const closeHooks: Array<() => Promise<void> | void> = [];
  let baseUrl = '';
  const context: SimulatorContext = {
    state,
    clock,
    baseUrl: () => baseUrl,
    onClose: (hook) => closeHooks.push(hook),
  };

  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
  });
  acceptAnyBody(app);
  answerLikeDingTalk(app);
  registerIpLimit(app, context);
  registerFaults(app, context);
  registerRobotWebhook(app, context);
  registerAppTokens(app, context);
  registerWorkNotifications(app, context);
  registerUserDirectory(app, context);
  registerRobotMessages(app, context);
  registerSessionWebhook(app, context);
  registerControlApi(app, context);
  const stream = new StreamGateway(context, options.stream);
  registerStreamGateway(app, context, stream);
  const cards = new CardStore(context, stream, options.cardTemplates ?? repoCardTemplates());
  registerCards(app, context, cards, stream);
  registerPage(app, context, stream, cards);

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? url;

  return {
    url,
    state,
    clock,
    stream,
    cards,
    env: { DINGTALK_OAPI_URL: baseUrl, DINGTALK_API_URL: baseUrl, DINGTALK_WEBHOOK_ORIGINS: baseUrl },
    async close() {
      for (const hook of closeHooks.reverse()) await hook();
      await app.close();
    },
  };
}

import { expect } from 'vitest';
import { SimFault } from '../../simulator/core/simulator-state';
import { Simulator } from '../../simulator/simulator';
import { TestApp } from './test-app';

/** Fields of POST /api/v1/dingtalk-bots that a test sets on top of a builder's defaults. */
export type BotFields = Record<string, unknown>;

/** A bot as the API answers it (the fields a test reads; the rest as sent). */
export interface CreatedBot {
  id: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  [field: string]: any;
}

/** Credentials of a DingTalk app (the simulator's SimApp fits). */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  agentId: string;
}

/** A webhook on a DingTalk host, offline: good enough for tests that never send. */
export const PLACEHOLDER_WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f7a8b9c0d';

/** The webhook of a robot the simulator registered (`sim.state.registerRobot()`). */
export const robotWebhook = (sim: Simulator, robot: { token: string }): string =>
  `${sim.url}/robot/send?access_token=${robot.token}`;

/** The fields that point a webhook bot at a signing robot the simulator registered, with the robot's secret. */
export const signedRobotFields = (
  sim: Simulator,
  robot: { token: string; secret?: string | null },
): BotFields => ({
  webhook: robotWebhook(sim, robot),
  secret: robot.secret,
});

/** A webhook bot created through the API (201 or the test stops here): store 1 and a placeholder webhook by default. */
export function givenWebhookBot(t: TestApp, fields: BotFields = {}): Promise<CreatedBot> {
  return createBot(t, { name: '厨房群', store_id: 1, webhook: PLACEHOLDER_WEBHOOK, ...fields });
}

/** A stream bot (app robot) of `app` created through the API: store 1, no users and no group by default. */
export function givenStreamBot(t: TestApp, app: AppCredentials, fields: BotFields = {}): Promise<CreatedBot> {
  return createBot(t, {
    name: '门店应用机器人',
    store_id: 1,
    bot_type: 'stream',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    agent_id: app.agentId,
    ...fields,
  });
}

/** An app as the API answers it (`POST /api/v1/dingtalk-apps`). */
export interface CreatedApp {
  id: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  [field: string]: any;
}

/**
 * A DingTalk app (its credentials: the simulator's SimApp fits) added through the API by an admin (201 or the test
 * stops here); `fields` on top, e.g. a wrong `client_secret`.
 */
export async function givenDingTalkApp(
  t: TestApp,
  app: AppCredentials,
  fields: Record<string, unknown> = {},
): Promise<CreatedApp> {
  const response = await t.request('POST', '/api/v1/dingtalk-apps', {
    body: {
      name: '连锁报菜应用',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      agent_id: app.agentId,
      ...fields,
    },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.data as CreatedApp;
}

/** Any bot created through the API as given (201 or the test stops here), named unless it says otherwise. */
export function givenBot(t: TestApp, fields: BotFields): Promise<CreatedBot> {
  return createBot(t, { name: '厨房群', ...fields });
}

async function createBot(t: TestApp, body: BotFields): Promise<CreatedBot> {
  const response = await t.request('POST', '/api/v1/dingtalk-bots', { body });
  expect(response.status, response.text).toBe(201);
  return response.body.data as CreatedBot;
}

/** The report a test posts unless it says otherwise. */
export interface CreatedReport {
  id: number;
  notifications: Array<{ id: number; bot_id: number }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  [field: string]: any;
}

/** A menu report posted through the API (201 or the test stops here): one portion of 宫保鸡丁 at store 1 by default. */
export async function givenMenuReport(
  t: TestApp,
  fields: Record<string, unknown> = {},
): Promise<CreatedReport> {
  const response = await t.request('POST', '/api/v1/menu-reports', {
    body: { store_id: 1, dish_name: '宫保鸡丁', quantity: 1, unit: '份', ...fields },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.data as CreatedReport;
}

/** The simulator's custom robots answer the next send (or as many as `fault` says) with DingTalk's `errcode`. */
export function givenRobotAnswers(
  sim: Simulator,
  errcode: number,
  errmsg: string,
  fault: Partial<Omit<SimFault, 'path' | 'mode'>> = {},
): void {
  sim.state.addFault({ path: '/robot/send', mode: 'errcode', errcode, errmsg, remaining: 1, ...fault });
}

import { describe, expect, it } from 'vitest';
import { maskWebhook, webhookUrlProblem } from './webhook-url';

const DINGTALK = ['https://oapi.dingtalk.com'];
const TOKEN = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f9z8y';

describe('webhookUrlProblem', () => {
  it('accepts a DingTalk robot webhook', () => {
    expect(
      webhookUrlProblem(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, DINGTALK),
    ).toBeNull();
    expect(
      webhookUrlProblem(`https://OAPI.dingtalk.com:443/robot/send?access_token=${TOKEN}`, DINGTALK),
    ).toBeNull();
  });

  it.each([
    ['http://oapi.dingtalk.com/robot/send?access_token=a', /must point to https:\/\/oapi.dingtalk.com/],
    ['https://oapi.dingtalk.com:8443/robot/send?access_token=a', /must point to/],
    ['https://oapi.dingtalk.com.evil.example/robot/send?access_token=a', /must point to/],
    ['https://evil.example/robot/send?access_token=a#@oapi.dingtalk.com', /must point to/],
    ['https://oapi.dingtalk.com@evil.example/robot/send?access_token=a', /user info/],
    ['https://user:pw@oapi.dingtalk.com/robot/send?access_token=a', /user info/],
    ['https://127.0.0.1/robot/send?access_token=a', /not an IP address/],
    ['https://[::1]/robot/send?access_token=a', /not an IP address/],
    ['https://2130706433/robot/send?access_token=a', /not an IP address/],
    ['https://oapi.dingtalk.com/robot/sendBySession?access_token=a', /path must be \/robot\/send/],
    ['https://oapi.dingtalk.com/robot/send', /one access_token/],
    ['https://oapi.dingtalk.com/robot/send?access_token=', /one access_token/],
    ['https://oapi.dingtalk.com/robot/send?access_token=a&access_token=b', /one access_token/],
    ['https://oapi.dingtalk.com/robot/send?access_token=a&x=1', /no query parameter other/],
    [
      'https://oapi.dingtalk.com/robot/send?access_token=a&timestamp=1&sign=x',
      /must not contain timestamp or sign/,
    ],
    ['https://oapi.dingtalk.com/robot/send?access_token=a#x', /fragment/],
    [' https://oapi.dingtalk.com/robot/send?access_token=a', /spaces/],
    ['not-a-url', /must be a URL/],
    ['file:///etc/passwd', /must point to/],
  ])('refuses %s', (url, problem) => {
    expect(webhookUrlProblem(url, DINGTALK)).toMatch(problem);
  });

  it('accepts an IP-literal origin only when it is configured (the simulator)', () => {
    const sim = ['http://127.0.0.1:18080'];
    expect(webhookUrlProblem('http://127.0.0.1:18080/robot/send?access_token=abc', sim)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:18081/robot/send?access_token=abc', sim)).toMatch(
      /not an IP address/,
    );
  });
});

describe('maskWebhook', () => {
  it('keeps the first and last four characters of the token', () => {
    expect(maskWebhook(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=1a2b****9z8y',
    );
  });
  it('hides a short token entirely', () => {
    expect(maskWebhook('https://oapi.dingtalk.com/robot/send?access_token=abc')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=****',
    );
  });
});

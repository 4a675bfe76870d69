import { describe, expect, it } from 'vitest';
import { parseBotCommand } from './bot-command';

const report = (dishName: string, quantity: number, unit: string, remark: string | null = null) => ({
  kind: 'report',
  dishName,
  quantity,
  unit,
  remark,
});

describe('parseBotCommand', () => {
  it.each([
    ['报菜 宫保鸡丁 50 份', report('宫保鸡丁', 50, '份')],
    ['报菜 宫保鸡丁 50份', report('宫保鸡丁', 50, '份')],
    ['报菜 米饭 2.5 斤', report('米饭', 2.5, '斤')],
    ['报菜 米饭 2.5斤', report('米饭', 2.5, '斤')],
    [' 报菜 宫保鸡丁 50 份', report('宫保鸡丁', 50, '份')],
    ['报菜宫保鸡丁 50份', report('宫保鸡丁', 50, '份')],
    ['报菜  宫保鸡丁   50   份  ', report('宫保鸡丁', 50, '份')],
    ['报菜 宫保鸡丁 50 份 少辣', report('宫保鸡丁', 50, '份', '少辣')],
    ['报菜 宫保鸡丁 50份 少辣 多葱', report('宫保鸡丁', 50, '份', '少辣 多葱')],
    ['报菜 3号套餐 12 盒', report('3号套餐', 12, '盒')],
    ['报菜 Kung Pao Chicken 5 kg', report('Kung Pao Chicken', 5, 'kg')],
    ['报菜 宫保鸡丁 ５０ 份', report('宫保鸡丁', 50, '份')],
    ['报菜\u3000宫保鸡丁\u300050份', report('宫保鸡丁', 50, '份')],
    ['@报菜助手 报菜 宫保鸡丁 50 份', report('宫保鸡丁', 50, '份')],
    ['@报菜助手 @张三 报菜 米饭 2.5 斤', report('米饭', 2.5, '斤')],
  ])('reads %j as a report', (text, expected) => {
    expect(parseBotCommand(text)).toEqual(expected);
  });

  it.each([
    ['报菜', /菜名、数量和单位/],
    ['报菜 宫保鸡丁', /没看懂/],
    ['报菜 宫保鸡丁 50', /没看懂/],
    ['报菜 50 份', /没看懂/],
    ['报菜 宫保鸡丁 0 份', /大于 0/],
    ['报菜 宫保鸡丁 0.0 份', /大于 0/],
    ['报菜 宫保鸡丁 1.2345 份', /三位小数/],
    ['报菜 宫保鸡丁 1000000000 份', /太大/],
    [`报菜 ${'菜'.repeat(101)} 1 份`, /菜名最多/],
    [`报菜 宫保鸡丁 1 ${'份'.repeat(21)}`, /单位最多/],
    [`报菜 宫保鸡丁 1 份 ${'辣'.repeat(501)}`, /备注最多/],
  ])('refuses %j with what is wrong', (text, problem) => {
    const command = parseBotCommand(text);
    expect(command.kind).toBe('report_invalid');
    expect(command.kind === 'report_invalid' && command.problem).toMatch(problem);
  });

  it.each(['今日', '今日报菜', ' 今日 ', '@报菜助手 今日报菜'])('reads %j as today', (text) => {
    expect(parseBotCommand(text)).toEqual({ kind: 'today' });
  });

  it.each(['绑定', '@报菜助手 绑定', ' 绑定'])('reads %j as bind', (text) => {
    expect(parseBotCommand(text)).toEqual({ kind: 'bind' });
  });

  it.each(['help', '帮助', '你好', '', '   ', null, undefined, '今日的菜', '绑定本群'])(
    'answers %j with the list of commands',
    (text) => {
      expect(parseBotCommand(text)).toEqual({ kind: 'help' });
    },
  );
});

import { describe, expect, it } from 'vitest';
import { DaySummary, renderSummaryMessage, renderSummaryWithTemplate } from './summary-message';

const ZONE = 'Asia/Shanghai';
const day: DaySummary = {
  storeId: 3,
  date: '2026-11-24',
  totals: [
    { dishId: null, dishName: '宫保鸡丁', unit: '份', quantity: 120 },
    { dishId: 88, dishName: '米饭', unit: '斤', quantity: 12.5 },
    { dishId: 7, dishName: null, unit: '盘', quantity: 2 },
  ],
  reportCount: 8,
  reporterCount: 3,
  firstReportAt: new Date('2026-11-24T02:02:00Z'),
  lastReportAt: new Date('2026-11-24T12:41:00Z'),
};
const empty: DaySummary = {
  ...day,
  totals: [],
  reportCount: 0,
  reporterCount: 0,
  firstReportAt: null,
  lastReportAt: null,
};

describe('the daily summary message', () => {
  it('lists the totals per dish and unit, the counts and the first and last report time (markdown)', () => {
    expect(renderSummaryMessage(day, 'markdown', ZONE)).toEqual({
      msgType: 'markdown',
      title: '报菜日报：门店 3 2026-11-24',
      content: [
        '#### 报菜日报 · 门店 3 · 2026-11-24',
        '- 宫保鸡丁 120 份',
        '- 米饭（#88） 12.5 斤',
        '- 菜品 #7 2 盘',
        '',
        '> 共 8 条报菜，3 位报菜人；首条 10:02，末条 20:41',
      ].join('\n'),
    });
  });

  it('says the same in plain text', () => {
    expect(renderSummaryMessage(day, 'text', ZONE).content).toBe(
      [
        '【报菜日报 · 门店 3 · 2026-11-24】',
        '宫保鸡丁 120 份',
        '米饭（#88） 12.5 斤',
        '菜品 #7 2 盘',
        '共 8 条报菜，3 位报菜人',
        '首条 10:02，末条 20:41',
      ].join('\n'),
    );
  });

  it('says a day without reports in one line', () => {
    expect(renderSummaryMessage(empty, 'markdown', ZONE).content).toBe(
      '#### 报菜日报 · 门店 3 · 2026-11-24：当日无报菜',
    );
    expect(renderSummaryMessage(empty, 'text', ZONE).content.split('\n')).toHaveLength(1);
  });

  it('renders through a summary template with its variables', () => {
    const template = {
      msgType: 'text' as const,
      title: '{{date}} 汇总',
      body: '门店{{store_id}} {{report_count}}条/{{reporter_count}}人 {{first_report_at}}-{{last_report_at}}\n{{totals}}',
    };
    expect(renderSummaryWithTemplate(day, template, ZONE)).toEqual({
      msgType: 'text',
      title: '2026-11-24 汇总',
      content: '门店3 8条/3人 10:02-20:41\n宫保鸡丁 120 份\n米饭（#88） 12.5 斤\n菜品 #7 2 盘',
    });
    expect(renderSummaryWithTemplate(empty, template, ZONE).content).toBe('门店3 0条/0人 -\n当日无报菜');
  });
});

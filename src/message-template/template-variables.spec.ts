import { describe, expect, it } from 'vitest';
import { renderTemplateText, unknownVariables } from './template-variables';

describe('template variables', () => {
  it('renders known variables, with or without spaces inside the braces', () => {
    expect(
      renderTemplateText('{{dish_name}} {{ quantity }}{{unit}}', {
        dish_name: '米饭',
        quantity: '2.5',
        unit: '斤',
      }),
    ).toBe('米饭 2.5斤');
  });

  it('renders a variable without a value as empty', () => {
    expect(renderTemplateText('备注：{{remark}}', {})).toBe('备注：');
  });

  it('names unknown variables once each, in order', () => {
    expect(unknownVariables('{{dish}} {{ price }} {{dish}} {{dish_name}}')).toEqual(['dish', 'price']);
  });

  it('ignores single braces and text that only looks like a placeholder', () => {
    expect(unknownVariables('{dish_name} {{}} plain')).toEqual(['']);
    expect(unknownVariables('{dish_name} plain')).toEqual([]);
  });
});

describe('daily-summary template variables', () => {
  it('renders the summary variables of a summary template', () => {
    expect(
      renderTemplateText(
        '{{date}} 门店 {{store_id}}：{{report_count}} 条\n{{totals}}',
        { date: '2026-12-01', store_id: '3', report_count: '2', totals: '- 米饭 2 斤' },
        'daily_summary',
      ),
    ).toBe('2026-12-01 门店 3：2 条\n- 米饭 2 斤');
  });

  it('knows each purpose’s own variables only', () => {
    expect(unknownVariables('{{totals}} {{dish_name}}', 'daily_summary')).toEqual(['dish_name']);
    expect(unknownVariables('{{totals}} {{dish_name}}', 'report')).toEqual(['totals']);
  });
});

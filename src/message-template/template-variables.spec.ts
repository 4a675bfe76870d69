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

import { describe, expect, it } from 'vitest';
import { renderCard } from './card-render';
import { CardTemplateError, readCardTemplate } from './card-template';
import { KITCHEN_CONFIRMATION_TEMPLATE_ID, repoCardTemplates } from './repo-card-templates';

const [kitchen] = repoCardTemplates();
const template = readCardTemplate(KITCHEN_CONFIRMATION_TEMPLATE_ID, kitchen.template);
const report = {
  title: '报菜 · 一号店',
  dish_name: '宫保鸡丁',
  quantity: '8 份',
  store_name: '一号店',
  report_time: '10:40',
};
const texts = (values: Record<string, string>) =>
  renderCard(template, values).parts.map((part) => ('text' in part ? part.text : ''));
const buttons = (values: Record<string, string>) =>
  renderCard(template, values).buttons.map((button) => [button.text, button.actionId, button.params]);

describe('the kitchen confirmation template (docs/dingtalk/cards/kitchen-confirmation.json)', () => {
  it('declares the variables the service fills, all public', () => {
    expect(template.variables.map((variable) => variable.name)).toEqual([
      'summary',
      'title',
      'dish_name',
      'quantity',
      'store_name',
      'report_time',
      'status',
      'confirmed_text',
    ]);
    expect(template.variables.every((variable) => !variable.private)).toBe(true);
  });

  it('shows the report with 收到 and 已备好 until someone confirms', () => {
    expect(texts(report)).toEqual([
      '报菜 · 一号店',
      '菜品：宫保鸡丁',
      '数量：8 份',
      '门店：一号店',
      '时间：10:40',
    ]);
    expect(buttons({ ...report, status: '' })).toEqual([
      ['收到', 'received', { action: 'received' }],
      ['已备好', 'ready', { action: 'ready' }],
    ]);
  });

  it('after 收到 keeps 已备好, after 已备好 no button, and shows the confirmed line once it is set', () => {
    const received = { ...report, status: 'received', confirmed_text: '已确认 · 张师傅 · 10:42' };
    expect(buttons(received).map(([text]) => text)).toEqual(['已备好']);
    expect(texts(received).at(-1)).toBe('已确认 · 张师傅 · 10:42');
    expect(buttons({ ...received, status: 'ready' })).toEqual([]);
  });
});

describe('readCardTemplate', () => {
  const exported = (root: unknown) => ({
    editorData: JSON.stringify({ schema: { componentsTree: [root] }, variableList: [] }),
  });

  it('refuses what is not an export, a component it cannot show and a condition it cannot evaluate', () => {
    expect(() => readCardTemplate('a', { editorData: {} })).toThrow(CardTemplateError);
    expect(() =>
      readCardTemplate('a', exported({ componentName: 'Card', children: [{ componentName: 'Chart' }] })),
    ).toThrow(/Chart is not simulated/);
    const when = {
      valueType: 'condition',
      condition: { op: 'and', conditions: [{ op: 'greater', variable: 'n' }] },
    };
    expect(() =>
      readCardTemplate('a', exported({ componentName: 'BaseText', props: { visible: when } })),
    ).toThrow(/greater is not simulated/);
  });

  it('reads the export as text too, a variable-bound markdown and a button whose param is a variable', () => {
    const text = JSON.stringify(
      exported({
        componentName: 'StdCard',
        children: [
          { componentName: 'Markdown', props: { content: { valueType: 'variable', variable: 'body' } } },
          {
            componentName: 'ButtonBlock',
            props: {
              buttons: [
                {
                  text: { content: '提交' },
                  actionType: 'request',
                  actionId: { content: 'submit' },
                  params: [{ type: 'variable', name: 'input', variable: 'draft' }],
                },
              ],
            },
          },
        ],
      }),
    );
    const rendered = renderCard(readCardTemplate('b', text), { body: '**hi**', draft: '草稿' });
    expect(rendered.parts).toEqual([{ kind: 'markdown', markdown: '**hi**' }]);
    expect(rendered.buttons).toEqual([
      { text: '提交', actionId: 'submit', callsBack: true, params: { input: '草稿' } },
    ]);
  });
});

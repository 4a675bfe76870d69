import { Condition, SimCardTemplate, TemplateButton, TemplateNode, Visibility } from './card-template';

/** A card as a member of its conversation sees it now: its template filled with the card's current data. */
export interface RenderedCard {
  parts: RenderedPart[];
  buttons: RenderedButton[];
}

export type RenderedPart =
  | { kind: 'text'; text: string; bold: boolean }
  | { kind: 'markdown'; markdown: string }
  | { kind: 'tag'; text: string };

export interface RenderedButton {
  text: string;
  actionId: string;
  /** Only `request` buttons call back (docs/dingtalk/cards.md, Callbacks). */
  callsBack: boolean;
  /** What the callback's `cardPrivateData.params` will carry for a click now. */
  params: Record<string, string>;
}

/** Card data is strings only (`cardParamMap`); a variable the card was never given reads as empty. */
export type CardValues = Readonly<Record<string, string>>;

/** `${name}` in a text takes the variable's value. */
export function fillVariables(text: string, values: CardValues): string {
  return text.replace(/\$\{\s*([A-Za-z_][\w]*)\s*\}/g, (_match, name: string) => values[name] ?? '');
}

function holds(condition: Condition, values: CardValues): boolean {
  const value = values[condition.variable] ?? '';
  switch (condition.op) {
    case 'equal':
      return value === condition.value;
    case 'notEqual':
      return value !== condition.value;
    case 'isTrue':
      return value === 'true';
    case 'isFalse':
      return value !== 'true';
    case 'isEmpty':
      return value === '';
    case 'isNotEmpty':
      return value !== '';
  }
}

export function isVisible(visibility: Visibility, values: CardValues): boolean {
  if ('always' in visibility) return visibility.always;
  if (visibility.conditions.length === 0) return true;
  return visibility.op === 'and'
    ? visibility.conditions.every((condition) => holds(condition, values))
    : visibility.conditions.some((condition) => holds(condition, values));
}

function renderButton(button: TemplateButton, values: CardValues): RenderedButton {
  const params: Record<string, string> = {};
  for (const param of button.params) {
    params[param.name] = 'variable' in param ? (values[param.variable] ?? '') : param.value;
  }
  return {
    text: fillVariables(button.text, values),
    actionId: fillVariables(button.actionId, values),
    callsBack: button.actionType === 'request',
    params,
  };
}

/** What shows: visible components in order, with their variables filled. */
export function renderCard(template: SimCardTemplate, values: CardValues): RenderedCard {
  const rendered: RenderedCard = { parts: [], buttons: [] };
  const visit = (node: TemplateNode) => {
    if (!isVisible(node.visible, values)) return;
    switch (node.kind) {
      case 'container':
        node.children.forEach(visit);
        return;
      case 'text':
        rendered.parts.push({ kind: 'text', text: fillVariables(node.text, values), bold: node.bold });
        return;
      case 'tag':
        rendered.parts.push({ kind: 'tag', text: fillVariables(node.text, values) });
        return;
      case 'markdown':
        rendered.parts.push({
          kind: 'markdown',
          markdown:
            'variable' in node.markdown
              ? (values[node.markdown.variable] ?? '')
              : fillVariables(node.markdown.fixed, values),
        });
        return;
      case 'buttons':
        for (const button of node.buttons) {
          if (isVisible(button.visible, values)) rendered.buttons.push(renderButton(button, values));
        }
        return;
    }
  };
  visit(template.root);
  return rendered;
}

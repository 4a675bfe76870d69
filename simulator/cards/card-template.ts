import { objectOf, parseJson } from '../core/message-fields';

/**
 * A card template as DingTalk's card platform exports it (docs/dingtalk/cards.md, Templates): a JSON object whose
 * `editorData` is a JSON *string* holding the editor's component tree (`schema.componentsTree`) and the variables
 * the API fills (`variableList`). DingTalk keeps the template; an API call carries only its id and the variables'
 * values, so the simulator must know the template to show the card and its buttons. It reads the part of the
 * format a confirmation card needs, and refuses a template using anything else, rather than showing it wrong.
 */
export interface SimCardTemplate {
  id: string;
  /** The variables the template declares: what `cardParamMap` (public) or private data may fill. */
  variables: Array<{ name: string; type: string; private: boolean }>;
  root: TemplateNode;
}

/** One component of the tree, reduced to what the simulator renders. */
export type TemplateNode =
  | { kind: 'container'; visible: Visibility; children: TemplateNode[] }
  | { kind: 'text'; visible: Visibility; text: string; bold: boolean }
  | { kind: 'markdown'; visible: Visibility; markdown: DynamicText }
  | { kind: 'tag'; visible: Visibility; text: string }
  | { kind: 'buttons'; visible: Visibility; buttons: TemplateButton[] };

/** A button: `request` buttons call back over Stream (docs/dingtalk/cards.md, Callbacks); others only show. */
export interface TemplateButton {
  text: string;
  visible: Visibility;
  /** `request` for a 回传请求 button; anything else (a link, a static state) sends no callback. */
  actionType: string;
  actionId: string;
  /** The button's callback `params`: a fixed value, or the current value of a variable. */
  params: Array<{ name: string; value: string } | { name: string; variable: string }>;
}

/** A markdown body: the text as written (with `${var}`), or one variable's value. */
export type DynamicText = { fixed: string } | { variable: string };

/** When a component shows: always, never, or when its conditions hold on the card's data. */
export type Visibility = { always: boolean } | { op: 'and' | 'or'; conditions: Condition[] };

export interface Condition {
  op: ConditionOp;
  variable: string;
  value: string;
}

/** The comparison operators the card editor writes into a visibility condition, as far as the simulator knows them. */
const CONDITION_OPS = ['equal', 'notEqual', 'isTrue', 'isFalse', 'isEmpty', 'isNotEmpty'] as const;
type ConditionOp = (typeof CONDITION_OPS)[number];

/** Containers only lay out their children; the card itself (`Card`, or the older `StdCard`) is one of them. */
const CONTAINERS = new Set(['Card', 'StdCard', 'Grid', 'GridLayout', 'Loop', 'CollapsePanel']);
/** Decoration that shows no data: left out of the simulated card. */
const DECORATION = new Set(['Divider', 'DividerBlock', 'Image', 'Icon', 'Avatar']);

export class CardTemplateError extends Error {}

type Json = Record<string, unknown>;

/**
 * Reads an exported template (the file's JSON, or its text). Throws CardTemplateError naming what it cannot read:
 * an unknown component or condition operator is refused, not skipped.
 */
export function readCardTemplate(id: string, exported: unknown): SimCardTemplate {
  const top = objectOf(typeof exported === 'string' ? parseJson(exported) : exported);
  const editorData = objectOf(typeof top?.editorData === 'string' ? parseJson(top.editorData) : undefined);
  if (!editorData) throw new CardTemplateError('not a card template export: editorData is not a JSON string');
  const tree = objectOf(editorData.schema)?.componentsTree;
  const root = Array.isArray(tree) ? objectOf(tree[0]) : null;
  if (!root) throw new CardTemplateError('editorData.schema.componentsTree is empty');
  const variables = (Array.isArray(editorData.variableList) ? editorData.variableList : [])
    .map((item) => objectOf(item))
    .filter((item): item is Json => typeof item?.name === 'string')
    .map((item) => ({
      name: item.name as string,
      type: typeof item.type === 'string' ? item.type : 'string',
      private: item.private === true,
    }));
  return { id, variables, root: readNode(root) };
}

function readNode(node: Json): TemplateNode {
  const name = String(node.componentName);
  const props = objectOf(node.props) ?? {};
  const visible = readVisibility(props.visible);
  const children = (Array.isArray(node.children) ? node.children : [])
    .map((child) => objectOf(child))
    .filter((child): child is Json => child !== null && !DECORATION.has(String(child.componentName)));
  if (CONTAINERS.has(name)) return { kind: 'container', visible, children: children.map(readNode) };
  switch (name) {
    case 'BaseText':
    case 'BaseTextBlock':
      return { kind: 'text', visible, text: dynamicString(props.text), bold: props.bold === true };
    case 'Tag':
      return { kind: 'tag', visible, text: dynamicString(props.text) };
    case 'Markdown':
    case 'MarkdownBlock':
      return { kind: 'markdown', visible, markdown: dynamicMarkdown(props.content) };
    case 'SingleButton':
      return { kind: 'buttons', visible: { always: true }, buttons: [readButton({ ...props, visible })] };
    case 'ButtonList':
    case 'ButtonBlock': {
      // ButtonList keeps them in `buttons.list`, the older ButtonBlock in `buttons`.
      const buttons = objectOf(props.buttons)?.list ?? props.buttons;
      const list = Array.isArray(buttons) ? buttons : [];
      return {
        kind: 'buttons',
        visible,
        buttons: list.map((button) => readButton(objectOf(button) ?? {})),
      };
    }
    default:
      throw new CardTemplateError(`component ${name} is not simulated (docs/dingtalk/cards.md, Templates)`);
  }
}

function readButton(props: Json): TemplateButton {
  const params = (Array.isArray(props.params) ? props.params : [])
    .map((param) => objectOf(param))
    .filter((param): param is Json => typeof param?.name === 'string' && param.name !== '')
    .map((param) =>
      param.type === 'variable'
        ? { name: param.name as string, variable: scalar(param.variable) }
        : { name: param.name as string, value: scalar(param.value) },
    );
  return {
    text: dynamicString(props.text),
    visible: readVisibility(props.visible),
    actionType: typeof props.actionType === 'string' ? props.actionType : 'none',
    actionId: dynamicString(props.actionId),
    params,
  };
}

/** A string, number or boolean as text; anything else (absent, an object) as ''. */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

/** `{type: "dynamicString", content: "数量：${quantity}"}` → its content, variables left for rendering. */
function dynamicString(value: unknown): string {
  const content = objectOf(value)?.content;
  return typeof content === 'string' ? content : '';
}

function dynamicMarkdown(value: unknown): DynamicText {
  const content = objectOf(value);
  if (content?.valueType === 'variable' && typeof content.variable === 'string') {
    return { variable: content.variable };
  }
  return { fixed: typeof content?.value === 'string' ? content.value : dynamicString(value) };
}

function readVisibility(value: unknown): Visibility {
  const visible = objectOf(value);
  if (!visible || visible.valueType !== 'condition') return { always: visible?.value !== false };
  const condition = objectOf(visible.condition);
  const op = condition?.op === 'or' ? 'or' : 'and';
  const conditions = (Array.isArray(condition?.conditions) ? condition.conditions : []).map((item) => {
    const entry = objectOf(item) ?? {};
    const conditionOp = CONDITION_OPS.find((known) => known === entry.op);
    if (!conditionOp) {
      throw new CardTemplateError(`condition operator ${String(entry.op)} is not simulated`);
    }
    return { op: conditionOp, variable: scalar(entry.variable), value: scalar(entry.value) };
  });
  return { op, conditions };
}

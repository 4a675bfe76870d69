/** The variables a template body may use, with the sample values a preview falls back to. */
export const TEMPLATE_VARIABLES = {
  store_id: '1',
  report_id: '1024',
  dish_id: '88',
  dish_name: '宫保鸡丁',
  quantity: '50',
  unit: '份',
  remark: '少辣',
  reported_by: '张师傅',
  created_at: '2026/12/01 11:30',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.hasOwn(TEMPLATE_VARIABLES, name);
}

/** The `{{…}}` names of a text that are not template variables, in order of appearance, each once. */
export function unknownVariables(text: string): string[] {
  const names = [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
  return [...new Set(names.filter((name) => !isTemplateVariable(name)))];
}

/** Replaces each `{{variable}}` by its value; a variable without a value becomes an empty string. */
export function renderTemplateText(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    isTemplateVariable(name) ? (values[name] ?? '') : whole,
  );
}

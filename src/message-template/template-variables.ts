/** What a template renders: a menu report's notification, or a bot's daily summary. */
export const TEMPLATE_PURPOSES = ['report', 'daily_summary'] as const;
export type TemplatePurpose = (typeof TEMPLATE_PURPOSES)[number];

/** The variables a report template may use, with the sample values a preview falls back to. */
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

/**
 * The variables a daily-summary template may use, with sample values. `totals` is one line per dish and unit
 * (a markdown list in a markdown template); times are HH:MM in REPORT_TIMEZONE, empty on a day without reports.
 */
export const SUMMARY_TEMPLATE_VARIABLES = {
  store_id: '1',
  date: '2026-12-01',
  totals: '- 宫保鸡丁 120 份\n- 米饭 12.5 斤',
  report_count: '8',
  reporter_count: '3',
  first_report_at: '10:02',
  last_report_at: '20:41',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Partial<Record<TemplateVariable, string>>;
export type SummaryTemplateVariable = keyof typeof SUMMARY_TEMPLATE_VARIABLES;
export type SummaryTemplateValues = Partial<Record<SummaryTemplateVariable, string>>;

/** The variables of each purpose, with their sample values. */
export const VARIABLES_BY_PURPOSE: Record<TemplatePurpose, Readonly<Record<string, string>>> = {
  report: TEMPLATE_VARIABLES,
  daily_summary: SUMMARY_TEMPLATE_VARIABLES,
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function isTemplateVariable(name: string, purpose: TemplatePurpose = 'report'): boolean {
  return Object.hasOwn(VARIABLES_BY_PURPOSE[purpose], name);
}

/** The `{{…}}` names of a text that are not variables of `purpose`, in order of appearance, each once. */
export function unknownVariables(text: string, purpose: TemplatePurpose = 'report'): string[] {
  const names = [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
  return [...new Set(names.filter((name) => !isTemplateVariable(name, purpose)))];
}

/** Replaces each `{{variable}}` by its value; a variable without a value becomes an empty string. */
export function renderTemplateText(
  text: string,
  values: TemplateValues | SummaryTemplateValues,
  purpose: TemplatePurpose = 'report',
): string {
  const byName = values as Partial<Record<string, string>>;
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    isTemplateVariable(name, purpose) ? (byName[name] ?? '') : whole,
  );
}

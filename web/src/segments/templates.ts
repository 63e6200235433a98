/** Templates as GET /templates lists them, and how their parameters are filled in a form. */
export interface TemplateParam {
  name: string;
  label: string;
  type: string;
  default?: string | number | boolean | string[];
  required: boolean;
  description?: string;
}

export interface Template {
  name: string;
  title: string;
  description: string;
  category: string;
  params: TemplateParam[];
}

/** A parameter's starting text: its default (a list as "a,b"). */
export function initialValue(p: TemplateParam): string {
  if (p.default === undefined) return '';
  return Array.isArray(p.default) ? p.default.join(',') : String(p.default);
}

/** The params to send (the API takes text, lists comma-separated); empty optional ones left out. */
export function paramsToSend(params: TemplateParam[], values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const v = (values[p.name] ?? '').trim();
    if (v !== '') out[p.name] = v;
  }
  return out;
}

/** The required parameters left empty, by name. */
export function missingParams(params: TemplateParam[], values: Record<string, string>): string[] {
  return params.filter((p) => p.required && (values[p.name] ?? '').trim() === '').map((p) => p.name);
}

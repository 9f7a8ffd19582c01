/**
 * The engine words its notes and errors for the command line (`--param`, `--timeout`…). In the editor
 * the same advice points at what the editor has: settings, the ANALYZE command, the value prompts.
 * Text the engine writes for neither stays as it is.
 */
const REWRITES: Array<[RegExp, string]> = [
  [/\(`--connection` or DATABASE_URL\)/g, '(the setting `perflens.explain.connectionString`, or `DATABASE_URL` in the workspace `.env`)'],
  [/; give values with `--param` for the plan of a specific call\./g, '; select SQL with literal values for the plan of a specific call.'],
  [/; give (?:them|a value for each) with `--param`\./g, '; Perflens asks for them.'],
  [/allow more time with `--timeout`/g, 'allow more time with the setting `perflens.explain.timeoutMs`'],
  [/ \(`--analyze`\)/g, ' ("Perflens: Explain Analyze Selected SQL")'],
];

export function forEditor(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REWRITES) out = out.replace(pattern, replacement);
  return out;
}

import { allRules } from '../rules';
import type { Rule } from '../core/rule';
import { flag, parseArgs, UsageError } from './args';
import { palette, shouldColor } from './color';
import type { CliIO } from './io';
import { renderRuleDocsText } from './render-docs';

const HELP_ONLY = [{ name: 'help', short: 'h', description: 'Show this help' }, { name: 'no-color', description: 'Do not colour the output' }] as const;

export function rulesHelp(): string {
  return 'Usage: perflens rules\n\nLists every rule: id, languages, default severity and what it reports.\n';
}

export function ruleHelp(): string {
  return 'Usage: perflens rule <id>\n\nPrints a rule\'s documentation: what it does, why it is bad, examples, fix safety.\n';
}

/** `perflens rules`: one aligned row per rule. */
export function runRules(argv: readonly string[], io: CliIO, rules: readonly Rule[] = allRules): number {
  const args = parseArgs(argv, HELP_ONLY, 'rules');
  if (flag(args, 'help')) {
    io.stdout(rulesHelp());
    return 0;
  }
  if (args.positionals.length) throw new UsageError(`\`perflens rules\` takes no arguments; to read one rule, run \`perflens rule ${args.positionals[0]}\``, 'rules');
  const color = palette(shouldColor(io.stdoutStream, flag(args, 'no-color'), io.env));
  if (rules.length === 0) {
    io.stdout('No rules are registered.\n');
    return 0;
  }
  const rows = rules.map((r) => [r.id, r.languages.join(', '), r.defaultSeverity, r.docs.summary]);
  const head = ['RULE', 'LANGUAGES', 'SEVERITY', 'SUMMARY'];
  const widths = [0, 1, 2].map((c) => Math.max(head[c].length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[], style: (s: string) => string = (s) => s) =>
    cells.map((c, i) => (i < 3 ? style(c.padEnd(widths[i])) : c)).join('  ').trimEnd();
  io.stdout([line(head, color.bold), ...rows.map((r) => line(r))].join('\n') + '\n');
  io.stdout(color.dim(`\nRun \`perflens rule <id>\` for a rule's documentation.\n`));
  return 0;
}

/** `perflens rule <id>`: the rule's docs as text; an unknown id lists the known ones (exit 2). */
export function runRule(argv: readonly string[], io: CliIO, rules: readonly Rule[] = allRules): number {
  const args = parseArgs(argv, HELP_ONLY, 'rule');
  if (flag(args, 'help')) {
    io.stdout(ruleHelp());
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('`perflens rule` needs exactly one rule id', 'rule');
  const id = args.positionals[0];
  const rule = rules.find((r) => r.id === id);
  if (!rule) {
    const known = rules.length ? rules.map((r) => r.id).join(', ') : '(no rules are registered)';
    io.stderr(`perflens: unknown rule \`${id}\`; known rules: ${known}\n`);
    return 2;
  }
  io.stdout(renderRuleDocsText(rule, palette(shouldColor(io.stdoutStream, flag(args, 'no-color'), io.env))));
  return 0;
}

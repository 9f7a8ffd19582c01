import type { Finding, Fix, Related, Severity } from './finding';
import type { FileFacts, Language, Span } from './model';
import type { FixSyntax } from './fix-syntax';

/** The documentation every rule carries, rendered by `perflens rule <id>` and docs/rules. */
export interface RuleDocs {
  /** One line: what the rule reports. */
  summary: string;
  whatItDoes: string;
  whyIsThisBad: string;
  /** Code that the rule reports, per language. */
  example: Partial<Record<'typescript' | 'python', string>>;
  /** The same code written well, per language. */
  useInstead: Partial<Record<'typescript' | 'python', string>>;
  fixSafety: string;
}

export interface RuleContext {
  facts: FileFacts;
  /** Severity configured for this rule (never 'off' here: disabled rules do not run). */
  severity: Severity;
  /** Source structure for spelling fixes, built on first use (see fix-syntax.ts). */
  readonly syntax: FixSyntax;
  /**
   * Runs a rule's fix spelling. A failure (a syntax walk that overflows the stack on code nested
   * thousands deep, a bug) costs the fix, never the finding: the rule's findings are all kept.
   */
  spellFixes(spell: () => Fix[]): Fix[];
  report(finding: Omit<Finding, 'rule' | 'severity'> & { severity?: Severity }): void;
}

export interface Rule {
  id: string;
  languages: Language[];
  defaultSeverity: Severity;
  docs: RuleDocs;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type { Finding, Fix, Related, Span };

import type { Config } from './config';
import { defaultConfig } from './config';
import type { Finding, Severity } from './finding';
import { LineIndex } from './finding';
import type { FileFacts, Language } from './model';
import type { FileSummary, ProjectIndex } from './project';
import { emptySummary } from './project';
import type { Rule } from './rule';
import { isSuppressed, parseSuppressions } from './suppress';
import { frontendFor, initFrontends } from '../frontends';
import type { Frontend } from '../frontends';
import { isStackOverflow, runWithDeepStack } from './deep-stack';
import { linkFactsSafely } from './link';
import type { FixSyntax } from './fix-syntax';
import { textSyntax } from './fix-syntax';
import { allRules } from '../rules';

export interface AnalyzeInput {
  /** Path used in messages and for module resolution. */
  file: string;
  text: string;
  /** Detected from the file extension when absent. */
  language?: Language;
  config?: Config;
  /** Summaries of the other files in the project (cross-file helpers). */
  project?: ProjectIndex;
  /**
   * Spell each finding's fixes (default true). The editor's live analysis turns this off and asks
   * for fixes when the lightbulb opens: on a findings-dense file they are a quarter of the work.
   */
  fixes?: boolean;
}

export interface AnalyzeResult {
  findings: Finding[];
  /** Things the user should know (syntax errors tolerated, file skipped, internal error). */
  notes: string[];
  facts?: FileFacts;
}

const EXTENSIONS: Record<string, Language> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
};

export function languageForFile(file: string): Language | undefined {
  const m = /\.[A-Za-z]+$/.exec(file);
  return m ? EXTENSIONS[m[0].toLowerCase()] : undefined;
}

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

/** Loads asynchronous front-ends (the Python wasm parser). Safe to call many times. */
export function ready(): Promise<void> {
  return initFrontends();
}

/**
 * A project analysis of `files` is coming (their texts are still to be read): each front-end is told
 * how many are its own, to start what takes long to start (see `Frontend.warmUp`).
 */
export function warmUp(files: readonly string[]): void {
  const counts = new Map<Frontend, number>();
  for (const file of files) {
    const language = languageForFile(file);
    const frontend = language ? frontendFor(language) : undefined;
    if (frontend?.warmUp) counts.set(frontend, (counts.get(frontend) ?? 0) + 1);
  }
  for (const [frontend, count] of counts) frontend.warmUp?.(count);
}

/** Pass 1 of a project analysis: what this file exports. Never throws. */
export function summarize(input: AnalyzeInput): FileSummary {
  const language = input.language ?? languageForFile(input.file);
  if (!language) return emptySummary(input.file, 'typescript');
  const frontend = frontendFor(language);
  if (!frontend) return emptySummary(input.file, language);
  const config = input.config ?? defaultConfig();
  try {
    return withDeepStackRetry(
      () => frontend.summarize(input.file, input.text, language, config, input.project),
      'summarize',
      input,
      language,
      config,
    ) ?? emptySummary(input.file, language);
  } catch {
    return emptySummary(input.file, language);
  }
}

/** text → front-end → facts → enabled rules → suppressions → findings. Never throws. */
export function analyze(input: AnalyzeInput): AnalyzeResult {
  const extracted = extractFacts(input);
  if (!extracted.facts) return { findings: [], notes: extracted.notes };
  // Calls into the project's own functions take the effects of those functions.
  linkFactsSafely(extracted.facts, input.project);
  return checkFacts(extracted.facts, input.config ?? defaultConfig(), input.fixes ?? true);
}

/** The facts of one file, or notes saying why there are none. Never throws. */
export function extractFacts(input: AnalyzeInput): { facts?: FileFacts; notes: string[] } {
  const language = input.language ?? languageForFile(input.file);
  if (!language) return { notes: [`${input.file}: not a TypeScript, JavaScript or Python file; skipped`] };
  const frontend = frontendFor(language);
  if (!frontend) return { notes: [`${input.file}: ${language} analysis is not available; skipped`] };
  const config = input.config ?? defaultConfig();
  try {
    const facts = withDeepStackRetry(() => frontend.extract(input.file, input.text, language, config, input.project), 'extract', input, language, config);
    if (!facts) return { notes: [`${input.file}: nested too deeply to analyse even on a large stack; skipped`] };
    return { facts, notes: [] };
  } catch (err) {
    return { notes: [`${input.file}: internal error while reading the file, skipped (${describe(err)})`] };
  }
}

/** Enabled rules over linked facts, then suppressions. Never throws. */
export function checkFacts(facts: FileFacts, config: Config, fixes = true): AnalyzeResult {
  const findings: Finding[] = [];
  const notes = [...facts.notes];
  let syntax: FixSyntax | undefined;
  const getSyntax = () => (syntax ??= frontendFor(facts.language)?.fixSyntax?.(facts) ?? textSyntax(facts));
  for (const rule of enabledRules(facts.language, config)) {
    try {
      runRule(rule, facts, severityFor(rule, config), findings, getSyntax, notes, fixes);
    } catch (err) {
      notes.push(`${facts.file}: internal error in rule ${rule.id}, its findings are missing (${describe(err)})`);
    }
  }
  // Most files have no findings: their lines need not be indexed.
  if (findings.length === 0) return { findings, notes, facts };
  const lines = new LineIndex(facts.text);
  const sup = parseSuppressions(facts.text, lines);
  const kept = findings.filter((f) => !isSuppressed(f, sup, lines));
  kept.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { findings: kept, notes, facts };
}

/** Runs `f`; if the input is nested too deeply for this thread's stack, reruns it on a big-stack worker. */
function withDeepStackRetry<T>(f: () => T, kind: 'extract' | 'summarize', input: AnalyzeInput, language: Language, config: Config): T | undefined {
  try {
    return f();
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    const summaries = (input.project as { allSummaries?: () => FileSummary[] } | undefined)?.allSummaries?.();
    return runWithDeepStack<T>({ kind, file: input.file, text: input.text, language, config, summaries });
  }
}

function enabledRules(language: Language, config: Config): Rule[] {
  return allRules.filter((r) => r.languages.includes(language) && config.rules[r.id] !== 'off');
}

function severityFor(rule: Rule, config: Config): Severity {
  const s = config.rules[rule.id];
  return s && s !== 'off' ? s : rule.defaultSeverity;
}

function runRule(rule: Rule, facts: FileFacts, severity: Severity, out: Finding[], syntax: () => FixSyntax, notes: string[], fixes: boolean): void {
  let fixFailure: string | undefined;
  rule.check({
    facts,
    severity,
    get syntax() {
      return syntax();
    },
    spellFixes(spell) {
      if (!fixes) return [];
      try {
        return spell();
      } catch (err) {
        // Too deep to walk is expected on generated code and not worth a note; anything else is a bug.
        if (!isStackOverflow(err)) fixFailure ??= describe(err);
        return [];
      }
    },
    report(f) {
      // A rule may lower its own severity (e.g. a loop over a 2-element literal) but never raise it.
      const sev = f.severity && rank(f.severity) < rank(severity) ? f.severity : severity;
      out.push({ ...f, rule: rule.id, severity: sev });
    },
  });
  if (fixFailure) notes.push(`${facts.file}: internal error while spelling a fix of rule ${rule.id}; its findings are kept without that fix (${fixFailure})`);
}

function rank(s: Severity): number {
  return s === 'info' ? 0 : s === 'warning' ? 1 : 2;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

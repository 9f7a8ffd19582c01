import * as fs from 'fs';
import * as path from 'path';
import type { Rule as ESLintRule } from 'eslint';
import type { Finding, Fix, Related } from '../core/finding';
import { LineIndex } from '../core/finding';
import type { Rule } from '../core/rule';
import { ignoreFixes } from '../core/ignore-fixes';
import { ruleHelpUri } from '../cli/format-sarif';
import type { PerflensSettings, RuleOptions } from './file-analysis';
import { analyzeLinted } from './file-analysis';

/**
 * One perflens rule as an ESLint rule. The analysis is the engine's (facts from the TypeScript
 * front-end over the SourceFile that `@typescript-eslint/parser` built, then the same rule files);
 * this adapter only maps offsets to ESLint locations and perflens fixes to ESLint fixes:
 * the first safe fix becomes `fix` (applied by `eslint --fix`), every other fix — unsafe ones,
 * further safe ones, and "ignore on this line / in this file" — a suggestion.
 */
export function eslintRule(rule: Rule): ESLintRule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: rule.docs.summary, recommended: true, url: ruleHelpUri(rule.id) },
      fixable: 'code',
      hasSuggestions: true,
      schema: [
        {
          type: 'object',
          properties: {
            queryFunctions: { type: 'array', items: { type: 'string', minLength: 1 } },
            blockingFunctions: { type: 'array', items: { type: 'string', minLength: 1 } },
          },
          additionalProperties: false,
        },
      ],
      messages: { finding: '{{message}}', fix: '{{title}}' },
    },
    create(context) {
      const source = context.sourceCode;
      const settings = (context.settings as { perflens?: PerflensSettings }).perflens ?? {};
      const options = (context.options[0] ?? {}) as RuleOptions;
      const analysis = analyzeLinted(source, context.filename, settings, options);
      // A perflens config that turns the rule off wins: the team's config file is shared by the CLI, the editor and ESLint.
      if (!analysis || analysis.config.rules[rule.id] === 'off') return {};
      const findings = analysis.result.findings.filter((f) => f.rule === rule.id);
      if (!findings.length) return {};
      const dir = path.dirname(path.resolve(context.filename));
      return {
        // Reported once the whole file is seen; the findings are already known.
        'Program:exit'() {
          for (const f of findings) context.report(report(f, source, dir, analysis.language));
        },
      };
    },
  };
}

type Source = ESLintRule.RuleContext['sourceCode'];

function report(f: Finding, source: Source, dir: string, language: 'typescript' | 'javascript' | 'python'): ESLintRule.ReportDescriptor {
  const fixes = f.fixes.filter((x) => applicable(x, source.text.length));
  const safe = fixes.find((x) => x.applicability === 'safe');
  const suggested = [...fixes.filter((x) => x !== safe), ...ignoreFixes(f, source.text, language)];
  return {
    loc: { start: source.getLocFromIndex(f.span.start), end: source.getLocFromIndex(f.span.end) },
    messageId: 'finding',
    data: { message: withRelated(f, source, dir) },
    ...(safe ? { fix: toFixer(safe) } : {}),
    suggest: suggested.map((x) => ({ messageId: 'fix', data: { title: x.title }, fix: toFixer(x) })),
  };
}

/**
 * ESLint merges a fix's edits into one replacement and throws on edits that overlap, which would stop
 * the whole lint run: such a fix (a bug in its rule) is left out rather than passed on.
 */
function applicable(fix: Fix, length: number): boolean {
  if (fix.edits.length === 0) return false;
  const edits = [...fix.edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  let end = 0;
  for (const e of edits) {
    if (e.span.start < end || e.span.end < e.span.start || e.span.end > length) return false;
    end = e.span.end;
  }
  return true;
}

function toFixer(fix: Fix): ESLintRule.ReportFixer {
  return (fixer) => fix.edits.map((e) => fixer.replaceTextRange([e.span.start, e.span.end], e.newText));
}

/**
 * ESLint has no related locations, so they go into the message, each with where it is:
 * "… (loop over `orders` at 11:3; `loadUser` queries here at src/users.ts:4:10)".
 */
function withRelated(f: Finding, source: Source, dir: string): string {
  if (!f.related.length) return f.message;
  const parts = f.related.map((r) => `${r.message} at ${where(r, source, dir)}`);
  return `${f.message.replace(/\.$/, '')} (${parts.join('; ')})`;
}

function where(r: Related, source: Source, dir: string): string {
  if (r.file) {
    // Another file (a cross-file helper): its position from its text on disk, as the CLI does.
    const rel = path.relative(dir, r.file).split(path.sep).join('/');
    const text = readQuietly(r.file);
    if (text === undefined) return rel;
    const pos = new LineIndex(text).position(r.span.start);
    return `${rel}:${pos.line}:${pos.column}`;
  }
  const loc = source.getLocFromIndex(r.span.start);
  return `${loc.line}:${loc.column + 1}`;
}

function readQuietly(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

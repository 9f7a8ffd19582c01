import type { Rule, RuleDocs } from '../core/rule';
import type { Palette } from './color';
import { palette } from './color';

/**
 * Rule documentation as text for the terminal (`perflens rule <id>`) and as Markdown (SARIF
 * `help.markdown`, and the docs/rules generator). Both follow the same sections, in order.
 */

type CodeLanguage = keyof RuleDocs['example'];
const CODE_LANGUAGES: { key: CodeLanguage; label: string; fence: string }[] = [
  { key: 'typescript', label: 'TypeScript', fence: 'ts' },
  { key: 'python', label: 'Python', fence: 'python' },
];

interface Section {
  title: string;
  prose?: string;
  code?: Partial<Record<CodeLanguage, string>>;
}

function sections(docs: RuleDocs): Section[] {
  return [
    { title: 'What it does', prose: docs.whatItDoes },
    { title: 'Why is this bad', prose: docs.whyIsThisBad },
    { title: 'Example', code: docs.example },
    { title: 'Use instead', code: docs.useInstead },
    { title: 'Fix safety', prose: docs.fixSafety },
  ];
}

/** A one-line description of the rule's scope: languages and default severity. */
export function ruleFacts(rule: Rule): string {
  return `languages: ${rule.languages.join(', ')}; default severity: ${rule.defaultSeverity}`;
}

export function renderRuleDocsText(rule: Rule, color: Palette = palette(false), width = 80): string {
  const out: string[] = [`${color.bold(rule.id)}  ${color.dim(`(${ruleFacts(rule)})`)}`, wrap(rule.docs.summary, width, '')];
  for (const s of sections(rule.docs)) {
    out.push('', color.bold(color.cyan(s.title)));
    if (s.prose !== undefined) out.push(paragraphs(s.prose).map((p) => wrap(p, width, '  ')).join('\n\n'));
    if (s.code) {
      const blocks = CODE_LANGUAGES.filter((l) => s.code?.[l.key]).map(
        (l) => `  ${color.dim(`${l.label}:`)}\n${indent(trimCode(s.code![l.key]!), '      ')}`,
      );
      out.push(blocks.length ? blocks.join('\n\n') : '  (none)');
    }
  }
  return out.join('\n') + '\n';
}

export function renderRuleDocsMarkdown(rule: Rule, headingLevel = 1): string {
  const h = '#'.repeat(headingLevel);
  const out: string[] = [`${h} ${rule.id}`, '', rule.docs.summary, '', `*${ruleFacts(rule)}*`];
  for (const s of sections(rule.docs)) {
    out.push('', `${h}# ${s.title}`, '');
    if (s.prose !== undefined) out.push(paragraphs(s.prose).join('\n\n'));
    if (s.code) {
      const blocks = CODE_LANGUAGES.filter((l) => s.code?.[l.key]).map((l) => fence(trimCode(s.code![l.key]!), l.fence));
      out.push(blocks.length ? blocks.join('\n\n') : '(none)');
    }
  }
  return out.join('\n') + '\n';
}

/** Plain text of the same content without colour or wrapping (SARIF `help.text`). */
export function renderRuleDocsPlain(rule: Rule): string {
  return renderRuleDocsText(rule, palette(false), Infinity);
}

function paragraphs(text: string): string[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

function wrap(text: string, width: number, prefix: string): string {
  if (!Number.isFinite(width)) return prefix + text;
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && prefix.length + cur.length + 1 + word.length > width) {
      lines.push(prefix + cur);
      cur = word;
    } else {
      cur = cur ? `${cur} ${word}` : word;
    }
  }
  if (cur) lines.push(prefix + cur);
  return lines.join('\n');
}

/** Drops leading/trailing blank lines and the indentation common to all lines. */
function trimCode(code: string): string {
  const lines = code.replace(/\t/g, '    ').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const common = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(common) ? common : 0).trimEnd()).join('\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => (l ? prefix + l : l))
    .join('\n');
}

function fence(code: string, lang: string): string {
  const ticks = code.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${code}\n${ticks}`;
}

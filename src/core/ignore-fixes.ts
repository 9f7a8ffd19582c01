import type { Finding, Fix } from './finding';
import type { Language } from './model';
import { TextSyntax } from './fix-syntax';

/**
 * "Ignore on this line" and "Ignore in this file" for any finding, in the comment syntax of the
 * language, with a `-- reason` placeholder for the person to fill in. Offered by the editor and the
 * ESLint plugin as suggestions; `--fix` never applies them (see apply-fixes.ts).
 */
export function ignoreFixes(finding: Pick<Finding, 'rule' | 'span'>, text: string, language: Language): Fix[] {
  const syntax = new TextSyntax(language, text);
  const comment = language === 'python' ? '#' : '//';
  const lineStart = syntax.lineStart(finding.span.start);
  const indent = syntax.indentAt(finding.span.start);
  const top = fileHeaderEnd(text, language);
  return [
    {
      title: `Ignore \`${finding.rule}\` on this line`,
      applicability: 'unsafe',
      edits: [{ span: { start: lineStart, end: lineStart }, newText: `${indent}${comment} perflens-ignore-next-line ${finding.rule} -- reason${syntax.eol}` }],
    },
    {
      title: `Ignore \`${finding.rule}\` in this file`,
      applicability: 'unsafe',
      edits: [{ span: { start: top, end: top }, newText: `${top > 0 && !/[\r\n]$/.test(text.slice(0, top)) ? syntax.eol : ''}${comment} perflens-ignore-file ${finding.rule} -- reason${syntax.eol}` }],
    },
  ];
}

/**
 * Where a file-level comment goes: after a shebang, and in Python after a coding declaration
 * (which must stay on line one or two).
 */
function fileHeaderEnd(text: string, language: Language): number {
  let offset = 0;
  const nextLine = (from: number) => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? text.length : nl + 1;
  };
  if (text.startsWith('#!')) offset = nextLine(0);
  if (language === 'python' && /^[ \t\f]*#.*?coding[:=]/.test(text.slice(offset, nextLine(offset)))) offset = nextLine(offset);
  return offset;
}

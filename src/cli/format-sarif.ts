import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import type { Severity } from '../core/finding';
import { LineIndex } from '../core/finding';
import type { Rule } from '../core/rule';
import { allRules } from '../rules';
import { packageInfo } from './package-info';
import { renderRuleDocsMarkdown, renderRuleDocsPlain } from './render-docs';
import type { Note, Range, Report, ReportedFinding } from './report';

/** Key of our fingerprint in `partialFingerprints`; bump the version if the recipe changes. */
export const FINGERPRINT_KEY = 'perflens/v1';
const SRCROOT = '%SRCROOT%';

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers. Positions are 1-based UTF-16 columns,
 * which is SARIF's default `columnKind`; paths are relative to `%SRCROOT%` (the current folder).
 */
export function sarifLog(report: Report, rules: readonly Rule[] = allRules): Sarif.Log {
  const info = packageInfo();
  const descriptors: Sarif.ReportingDescriptor[] = rules.map((r) => ruleDescriptor(r, info.root, info.repository));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of report.findings) {
    // A finding from a rule that is not registered (should not happen) still gets a descriptor.
    if (!ruleIndex.has(f.rule)) {
      ruleIndex.set(f.rule, descriptors.length);
      descriptors.push({ id: f.rule, name: f.rule, shortDescription: { text: f.rule } });
    }
  }
  const fingerprints = fingerprintAll(report);
  const results = report.findings.map((f, i): Sarif.Result => {
    const result: Sarif.Result = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule)!,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [location(f.file, f)],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
    };
    if (f.related.length) {
      result.relatedLocations = f.related.map((r, k) => ({
        id: k + 1,
        ...location(r.file ?? f.file, r),
        message: { text: r.message },
      }));
    }
    if (f.fixes.length) {
      result.fixes = f.fixes.map((fix) => ({
        description: { text: fix.title },
        artifactChanges: [
          {
            artifactLocation: artifact(f.file),
            replacements: fix.edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
          },
        ],
        properties: { applicability: fix.applicability },
      }));
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'perflens',
            version: info.version,
            semanticVersion: info.version,
            informationUri: info.homepage,
            rules: descriptors,
          },
        },
        invocations: [invocation(report.notes)],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(report.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(report: Report): string {
  return JSON.stringify(sarifLog(report), null, 2) + '\n';
}

function ruleDescriptor(rule: Rule, root: string, repository: string | undefined): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: oneParagraph(rule.docs.whatItDoes) },
    help: { text: renderRuleDocsPlain(rule), markdown: renderRuleDocsMarkdown(rule) },
    helpUri: helpUri(rule.id, root, repository),
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: { tags: ['performance', ...rule.languages] },
  };
}

/** Where a rule's documentation page is (SARIF `helpUri`, ESLint `meta.docs.url`, the editor's `codeDescription`). */
export function ruleHelpUri(id: string): string {
  const info = packageInfo();
  return helpUri(id, info.root, info.repository);
}

/**
 * The rule's page: in the repository when package.json names one, else the copy installed with the
 * package (a `file:` URL that opens offline) — never a site that does not exist.
 */
function helpUri(id: string, root: string, repository: string | undefined): string {
  const rel = `docs/rules/${id}.md`;
  const local = path.join(root, rel);
  return repository ? `${repository}/blob/main/${rel}` : pathToFileURL(local).href;
}

function sarifLevel(s: Severity): Sarif.ReportingConfiguration.level {
  return s === 'info' ? 'note' : s;
}

function invocation(notes: readonly Note[]): Sarif.Invocation {
  const toNotification = (n: Note): Sarif.Notification => {
    const text = n.key && !n.key.startsWith('(') ? `\`${n.key}\`: ${n.message}` : n.message;
    const out: Sarif.Notification = { level: n.kind === 'config' || n.kind === 'analysis' ? 'warning' : 'note', message: { text } };
    if (n.file) {
      const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifact(n.file) };
      if (n.line !== undefined) physicalLocation.region = { startLine: n.line, startColumn: n.column ?? 1 };
      out.locations = [{ physicalLocation }];
    }
    return out;
  };
  const inv: Sarif.Invocation = { executionSuccessful: true };
  const config = notes.filter((n) => n.kind === 'config');
  const other = notes.filter((n) => n.kind !== 'config');
  if (config.length) inv.toolConfigurationNotifications = config.map(toNotification);
  if (other.length) inv.toolExecutionNotifications = other.map(toNotification);
  return inv;
}

function location(file: string, range: Range): Sarif.Location {
  return { physicalLocation: { artifactLocation: artifact(file), region: region(range) } };
}

function artifact(file: string): Sarif.ArtifactLocation {
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(r: Range): Sarif.Region {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/**
 * Fingerprints that survive unrelated edits: a hash of the rule, the file, the finding's source
 * line(s) with whitespace normalised, and the index of this occurrence among identical ones in
 * the file. The line number is left out, so adding code above a finding does not make it "new".
 */
export function fingerprintAll(report: Report): string[] {
  const seen = new Map<string, number>();
  const lineIndexes = new Map<string, LineIndex>();
  return report.findings.map((f: ReportedFinding) => {
    let idx = lineIndexes.get(f.absFile);
    if (!idx) {
      idx = new LineIndex(report.sources.get(f.absFile) ?? '');
      lineIndexes.set(f.absFile, idx);
    }
    const text: string[] = [];
    for (let l = f.line; l <= Math.min(f.endLine, f.line + 20); l++) text.push(idx.lineText(l));
    const normalised = text.join('\n').replace(/\s+/g, ' ').trim();
    const key = `${f.rule}\0${f.file}\0${normalised}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

function oneParagraph(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

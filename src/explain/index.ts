/**
 * The EXPLAIN engine's public surface, for `perflens explain` and the VS Code command. Nothing here
 * imports `vscode`; the extension supplies the connection string (settings + SecretStorage), the
 * confirmation dialog (`confirmSideEffects`) and the view.
 */
import { extractSql, type ExtractInput, type ExtractedSql } from './extract';
import { explainSql, type ExplainRequest, type ExplainResult } from './explain';
import { ExplainError } from './errors';
import type { ExplainRunner } from './runner';

export { extractSql, languageOfFile } from './extract';
export type { ExtractInput, ExtractedSql, SourceLanguage } from './extract';
export { explainSql, DEFAULT_TIMEOUT_MS } from './explain';
export type { ExplainMode, ExplainRequest, ExplainResult, SideEffectConfirmation } from './explain';
export { ExplainError } from './errors';
export type { ExplainErrorKind } from './errors';
export type { ExplainRunner, DatabaseInfo, SqlSession } from './runner';
export { PgRunner, createPgRunner } from './pg-runner';
export { parseConnectionString, redact } from './connection';
export type { ConnectionTarget, SslMode } from './connection';
export { EmbeddedRunner, openEmbeddedRunner, closeEmbeddedRunners } from './embedded-runner';
export type { EmbeddedOptions, SchemaReport } from './embedded-runner';
export { findSchemaFiles } from './schema-files';
export { parsePlan, planFindings, nodeLabel, DEFAULT_THRESHOLDS } from './plan';
export type { PlanModel, PlanNode, PlanFinding, PlanFindingKind, PlanThresholds, Misestimate, Buffers } from './plan';
export { renderPlanText, renderExplainText } from './render-text';
export { readDotEnv, parseDotEnv } from './dotenv';
export { runExplainCommand, runExplainCli, EXPLAIN_USAGE } from './command';
export type { CommandIO, CliLikeIO } from './command';

export interface FileExplainResult {
  extracted: ExtractedSql;
  result: ExplainResult;
}

/**
 * What the editor command does: the SQL at the selection or cursor of a file, explained. A PostgreSQL
 * error that points into the SQL is rethrown with `fileOffset`, the offset in the file's text.
 */
export async function explainInFile(
  runner: ExplainRunner,
  input: ExtractInput,
  request: Omit<ExplainRequest, 'sql'> = {},
): Promise<FileExplainResult> {
  const extracted = extractSql(input);
  try {
    return { extracted, result: await explainSql(runner, { ...request, sql: extracted.sql }) };
  } catch (e) {
    if (e instanceof ExplainError && e.details.sqlOffset !== undefined) {
      throw new ExplainError(e.kind, e.message, { ...e.details, fileOffset: extracted.map.toSource(e.details.sqlOffset) });
    }
    throw e;
  }
}

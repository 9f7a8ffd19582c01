/**
 * Every failure the EXPLAIN engine reports to a person, with a kind the CLI and the editor can act
 * on (offer `--param`, ask for confirmation, point at a position) instead of parsing messages.
 */
export type ExplainErrorKind =
  /** Bad command-line or API input. */
  | 'usage'
  /** Nothing that looks like SQL at the cursor or in the selection. */
  | 'no-sql'
  /** The database cannot be reached or refused the login. */
  | 'connection'
  /** PostgreSQL rejected the statement (syntax, unknown table, more than one statement…). */
  | 'sql'
  /** `$n` parameters need values (or a different number of values was given). */
  | 'parameters'
  /** ANALYZE would run something other than a plain SELECT and no one confirmed it. */
  | 'needs-confirmation'
  /** statement_timeout stopped EXPLAIN ANALYZE. */
  | 'timeout';

export class ExplainError extends Error {
  constructor(
    readonly kind: ExplainErrorKind,
    message: string,
    readonly details: {
      /** 0-based offset into the SQL the user gave (not the EXPLAIN text) that the error points at. */
      sqlOffset?: number;
      /** The same place as an offset in the file the SQL was taken from (explainInFile). */
      fileOffset?: number;
      /** PostgreSQL's SQLSTATE. */
      code?: string;
      detail?: string;
      hint?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ExplainError';
  }
}

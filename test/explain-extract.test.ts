import * as assert from 'node:assert/strict';
import { extractSql, languageOfFile, type ExtractedSql } from '../src/explain/extract';
import { ExplainError } from '../src/explain/errors';
import { hasTopLevelInto, lexSql, parameterCount, statementAt } from '../src/explain/sql-lexer';
import { codePointPositionToOffset, lineColumn, offsetOf } from '../src/explain/offset-map';

/** `|` marks the cursor; `[[`…`]]` mark a selection. Returns the extraction and the clean text. */
function at(source: string, fileName: string): { result: ExtractedSql; text: string } {
  let text = source;
  let selection: { start: number; end: number } | undefined;
  const open = text.indexOf('[[');
  if (open >= 0) {
    text = text.replace('[[', '');
    const close = text.indexOf(']]');
    text = text.replace(']]', '');
    selection = { start: open, end: close };
  }
  const cursor = text.indexOf('|');
  if (cursor >= 0) text = text.slice(0, cursor) + text.slice(cursor + 1);
  return { result: extractSql({ text, fileName, cursor: Math.max(cursor, 0), selection }), text };
}

/** The file text at the place the SQL offset of `needle` maps back to. */
function mappedBack(r: { result: ExtractedSql; text: string }, needle: string): string {
  const offset = r.result.sql.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in ${r.result.sql}`);
  const file = r.result.map.toSource(offset);
  return r.text.slice(file, file + needle.length);
}

describe('explain: SQL extraction', () => {
  describe('TypeScript / JavaScript', () => {
    it('turns template interpolations into $n, the same expression keeping one number', () => {
      const r = at('const r = await pool.query(`SELECT * FROM users WHERE id = ${id} AND org = ${org.id} OR id = ${ id }|`);', 'a.ts');
      assert.equal(r.result.sql, 'SELECT * FROM users WHERE id = $1 AND org = $2 OR id = $1');
      assert.deepEqual(r.result.placeholders.map((p) => [p.number, p.source]), [[1, '${id}'], [2, '${org.id}'], [1, '${ id }']]);
      assert.equal(r.text.slice(r.result.placeholders[1].start, r.result.placeholders[1].end), '${org.id}');
      assert.equal(r.result.parameterCount, 2);
      assert.equal(r.result.origin, 'literal');
    });

    it('maps SQL offsets back through escapes and interpolations to the file', () => {
      const r = at("const q = `SELECT a,\\n ${x} AS b, '\\u00e9' FROM t wher|e id = ${y}`;", 'a.ts');
      assert.equal(r.result.sql, "SELECT a,\n $1 AS b, 'é' FROM t where id = $2");
      assert.equal(mappedBack(r, 'FROM t'), 'FROM t');
      assert.equal(mappedBack(r, 'where'), 'where');
      // Offsets inside a replaced piece point at its start.
      const dollar = r.result.sql.indexOf('$1');
      assert.equal(r.text.slice(r.result.map.toSource(dollar), r.result.map.toSource(dollar) + 4), '${x}');
    });

    it('keeps $n already in a plain string and takes the string argument of the call under the cursor', () => {
      const r = at("const r = await pool.qu|ery('SELECT * FROM users WHERE id = $1 AND x = $2', [id, x]);", 'a.js');
      assert.equal(r.result.sql, 'SELECT * FROM users WHERE id = $1 AND x = $2');
      assert.equal(r.result.parameterCount, 2);
      assert.deepEqual(r.result.placeholders, []);
    });

    it('reads Prisma $queryRaw tagged templates, inlining Prisma.sql and Prisma.raw fragments', () => {
      const r = at(
        'const rows = await prisma.$queryRaw`SELECT * FROM "User" WHERE id IN (${Prisma.join(ids)}) ${Prisma.sql`AND org = ${org}`} ${Prisma.raw(\'ORDER BY id\')}|`;',
        'a.ts',
      );
      assert.equal(r.result.sql, 'SELECT * FROM "User" WHERE id IN ($1) AND org = $2 ORDER BY id');
      assert.equal(r.result.tag, 'prisma.$queryRaw');
      assert.deepEqual(r.result.placeholders.map((p) => p.source), ['${Prisma.join(ids)}', '${org}']);
      // The cursor on the tag selects the template too.
      const onTag = at('const rows = await prisma.$query|Raw`SELECT 1 WHERE ${a} = 1`;', 'a.ts');
      assert.equal(onTag.result.sql, 'SELECT 1 WHERE $1 = 1');
    });

    it('reads + concatenations, non-literal operands becoming parameters', () => {
      const r = at("const q = 'SELECT * FROM t WHERE a = ' + a + ' AND b = ' + b|;", 'a.ts');
      assert.equal(r.result.sql, 'SELECT * FROM t WHERE a = $1 AND b = $2');
      assert.deepEqual(r.result.placeholders.map((p) => p.source), ['a', 'b']);
    });

    it('prefers the enclosing SQL over a non-SQL string nested in an interpolation', () => {
      const r = at("db.query(`SELECT * FROM t WHERE tag = ANY(${tags.split('|,')})`);", 'a.ts');
      assert.equal(r.result.sql, 'SELECT * FROM t WHERE tag = ANY($1)');
    });

    it('uses a selection verbatim, with ${…} still numbered', () => {
      const r = at('const q = `SELECT [[a FROM t WHERE id = ${id} AND x = ${id}]]`;', 'a.ts');
      assert.equal(r.result.sql, 'a FROM t WHERE id = $1 AND x = $1');
      assert.equal(r.result.origin, 'selection');
      assert.equal(mappedBack(r, 'WHERE'), 'WHERE');
    });

    it('reports a cursor outside any SQL', () => {
      assert.throws(() => at('const x| = 1;', 'a.ts'), (e: unknown) => e instanceof ExplainError && e.kind === 'no-sql');
    });
  });

  describe('Python', () => {
    it('turns SQLAlchemy :name into $n, skipping casts and strings, from the text() call under the cursor', () => {
      const r = at("rows = await session.execute(te|xt('SELECT * FROM t WHERE a = :a AND b = :b AND c = :a AND d::text = \\'10:30\\''), {'a': 1})", 'a.py');
      assert.equal(r.result.sql, "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1 AND d::text = '10:30'");
      assert.equal(r.result.tag, 'text');
      assert.deepEqual(r.result.placeholders.map((p) => `${p.number}${p.source}`), ['1:a', '2:b', '1:a']);
    });

    it('turns psycopg %s and %(name)s into $n, un-doubles %%, joins adjacent literals', () => {
      const r = at("cur.execute(\n  'SELECT * FROM t '  # comment\n  'WHERE a = %s AND b = %(n)s AND c = %(n)s AND s LIKE \\'x%%\\' AND d = %s|'\n)", 'a.py');
      assert.equal(r.result.sql, "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $2 AND s LIKE 'x%' AND d = $3");
      assert.equal(mappedBack(r, 'WHERE'), 'WHERE');
      const d = r.result.placeholders.find((p) => p.number === 3)!;
      assert.equal(r.text.slice(d.start, d.end), '%s');
    });

    it('reads f-strings ({expr} → $n) and triple-quoted strings', () => {
      const f = at('cur.execute(f"SELECT * FROM t WHERE a = {a} AND b = {b!r} AND c = {a}|")', 'a.py');
      assert.equal(f.result.sql, 'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1');
      const t = at('cur.execute("""\n    SELECT *\n    FROM t\n    WHERE a = 1|\n""")', 'a.py');
      assert.equal(t.result.sql, 'SELECT *\n    FROM t\n    WHERE a = 1');
      assert.equal(mappedBack(t, 'FROM t'), 'FROM t');
    });

    it('keeps raw strings as written', () => {
      const r = at("cur.execute(r'SELECT \\d FROM t|')", 'a.py');
      assert.equal(r.result.sql, 'SELECT \\d FROM t');
    });
  });

  describe('.sql files', () => {
    it('takes the statement under the cursor, or the one before a blank tail', () => {
      assert.equal(at('select 1;\nselect * from t wh|ere x;\n\nselect 3;', 'q.sql').result.sql, 'select * from t where x;');
      assert.equal(at('select 1;\nselect 2;\n\n|', 'q.sql').result.sql, 'select 2;');
      // A semicolon inside a string or a function body does not split.
      assert.equal(at("select ';' |as x, $$ a; b $$ as y;\nselect 2;", 'q.sql').result.sql, "select ';' as x, $$ a; b $$ as y;");
    });
  });

  it('knows languages by file name', () => {
    assert.equal(languageOfFile('x/y.tsx'), 'typescript');
    assert.equal(languageOfFile('y.py'), 'python');
    assert.equal(languageOfFile('y.sql'), 'sql');
  });
});

describe('explain: SQL lexer and offsets', () => {
  it('finds $n outside strings, comments and dollar quotes', () => {
    assert.equal(parameterCount("select $2, '$5', \"$7\", $$ $9 $$, E'\\' $8' -- $6\n /* /* $4 */ $3 */ from t"), 2);
    assert.deepEqual(lexSql('a::int').map((t) => t.kind), ['word', 'operator', 'word']);
  });

  it('tells SELECT … INTO apart from INSERT INTO and sub-select INTO-free queries', () => {
    assert.equal(hasTopLevelInto('SELECT * INTO t2 FROM t'), true);
    assert.equal(hasTopLevelInto('WITH a AS (SELECT 1) SELECT * INTO t2 FROM a'), true);
    assert.equal(hasTopLevelInto('INSERT INTO t SELECT 1'), false);
    assert.equal(hasTopLevelInto("SELECT 'into' FROM t -- into"), false);
  });

  it('converts PostgreSQL code-point positions and line/columns', () => {
    const sql = "select '😀', x";
    // Position 13 is `x` (code points), which is UTF-16 offset 13 because of the surrogate pair.
    assert.equal(sql[codePointPositionToOffset(sql, 13)], 'x');
    assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
    assert.equal(offsetOf('ab\ncd', 2, 2), 4);
    assert.deepEqual(statementAt('  select 1  ', 0), { text: 'select 1', start: 2 });
  });
});

import * as assert from 'assert';
import { analyze, defaultConfig } from '../src/core';

/** `queryFunctions` / `blockingFunctions` from config are the user's word about a callee. */
describe('config callee patterns', function () {
  const text = `export class ReportService {
  constructor(private readonly legacyStore: unknown) {}
  async rows(ids: string[]) {
    const out = [];
    for (const id of ids) out.push(await this.legacyStore.fetchRow(id));
    return out;
  }
}
`;
  const run = (patterns: Partial<{ queryFunctions: string[]; blockingFunctions: string[] }>) =>
    analyze({ file: 'report.ts', text, config: { ...defaultConfig(), ...patterns } }).findings.map((f) => `${f.rule}: ${f.message}`);

  it('an unknown receiver is nothing without config', () => {
    assert.deepStrictEqual(run({}), []);
  });

  it('a matching queryFunctions pattern wins over the guess that `legacyStore` is a project class `LegacyStore`', () => {
    assert.deepStrictEqual(run({ queryFunctions: ['this.legacyStore.fetch*'] }), ['n-plus-one-query: Query `this.legacyStore.fetchRow` runs once per element of `ids`.']);
  });

  it('a blockingFunctions pattern does too', () => {
    assert.deepStrictEqual(run({ blockingFunctions: ['this.legacyStore.*'] }).map((s) => s.split(':')[0]), ['blocking-call-in-async']);
  });
});

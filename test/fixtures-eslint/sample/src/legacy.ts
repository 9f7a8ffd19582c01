// A store the engine knows nothing about: `legacy.*.fetch*` is a query only because
// .perflens.json says so (queryFunctions).
declare const legacy: { rows: { fetchRow(id: string): Promise<{ id: string }> } };

export async function refresh(ids: string[]) {
  for (const id of ids) {
    await legacy.rows.fetchRow(id);
  }
}

export async function quiet(ids: string[]) {
  for (const id of ids) {
    // perflens-ignore-next-line n-plus-one-query -- a handful of ids, measured
    await legacy.rows.fetchRow(id);
  }
}

// Reported only when an ESLint rule option names `journal.*.append` (see test/eslint-sample.test.ts).
declare const journal: { entries: { append(id: string): Promise<void> } };

export async function record(ids: string[]) {
  for (const id of ids) {
    await journal.entries.append(id);
  }
}

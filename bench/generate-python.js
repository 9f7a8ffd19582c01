'use strict';
/**
 * Deterministic generator of realistic Python service code for the benchmarks, the counterpart of
 * generate.js: FastAPI routes and CRUD helpers on SQLAlchemy 2.0 async, httpx and Redis, with the
 * patterns Perflens looks for (N+1 loops, blocking calls in async def, independent awaits, offset
 * paging) mixed with their correct forms and plain computation. Same seed and line count → same text.
 */

// The same entities and seeded generator as the TypeScript files.
const { prng, ENTITIES, statementInFunction } = require('./generate');

const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Each template takes (E: entity, R: related entity, n: unique suffix) and returns lines. */
const TEMPLATES = [
  // N+1: one get per row.
  (E, R, n) => [
    `@router.get("/${snake(E)}s-with-${snake(R)}/${n}")`,
    `async def list_${snake(E)}s_with_${snake(R)}_${n}(db: AsyncSession = Depends(get_db)):`,
    `    rows = (await db.scalars(select(${E}).limit(100))).all()`,
    `    out = []`,
    `    for row in rows:`,
    `        ${snake(R)} = await db.get(${R}, row.${snake(R)}_id)`,
    `        out.append({"id": row.id, "${snake(R)}": ${snake(R)}})`,
    `    return out`,
    ``,
    ``,
  ],
  // The batched form: no finding.
  (E, R, n) => [
    `async def ${snake(E)}s_by_id_${n}(db: AsyncSession, ids: list[int]) -> dict[int, ${E}]:`,
    `    rows = (await db.scalars(select(${E}).where(${E}.id.in_(ids)))).all()`,
    `    return {row.id: row for row in rows}`,
    ``,
    ``,
  ],
  // Blocking calls in async def.
  (E, R, n) => [
    `@router.post("/${snake(E)}s/import/${n}")`,
    `async def import_${snake(E)}s_${n}(path: str):`,
    `    with open(path) as f:`,
    `        payload = json.load(f)`,
    `    time.sleep(0.1)`,
    `    requests.post("https://hooks.example.com/${snake(E)}", json=payload)`,
    `    return {"imported": len(payload)}`,
    ``,
    ``,
  ],
  // Independent awaits on different clients.
  (E, R, n) => [
    `@router.get("/dashboard/${snake(E)}/${n}")`,
    `async def dashboard_${snake(E)}_${n}(client: httpx.AsyncClient = Depends(get_client)):`,
    `    profile = await client.get("https://profiles.example.com/${snake(E)}/${n}")`,
    `    stats = await client.get("https://stats.example.com/${snake(R)}/${n}")`,
    `    cached = await redis.get("${snake(E)}:${n}")`,
    `    return {"profile": profile.json(), "stats": stats.json(), "cached": cached}`,
    ``,
    ``,
  ],
  // Offset paging through a CRUD helper.
  (E, R, n) => [
    `async def page_${snake(E)}s_${n}(db: AsyncSession, skip: int = 0, limit: int = 50):`,
    `    stmt = select(${E}).order_by(${E}.created_at.desc()).offset(skip).limit(limit)`,
    `    return (await db.scalars(stmt)).all()`,
    ``,
    ``,
    `@router.get("/${snake(E)}s/page/${n}")`,
    `async def read_${snake(E)}s_${n}(skip: int = 0, limit: int = 50, db: AsyncSession = Depends(get_db)):`,
    `    return await page_${snake(E)}s_${n}(db, skip, limit)`,
    ``,
    ``,
  ],
  // Plain computation.
  (E, R, n) => [
    `def summarise_${snake(E)}_${n}(rows: list[dict]) -> dict:`,
    `    totals: dict[str, float] = {}`,
    `    for row in rows:`,
    `        key = row.get("${snake(R)}", "none")`,
    `        totals[key] = totals.get(key, 0.0) + float(row.get("amount", 0))`,
    `    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)`,
    `    return {"top": ranked[:10], "count": len(rows), "sum": sum(totals.values())}`,
    ``,
    ``,
  ],
];

const HEADER = [
  '"""Generated service module (bench/generate-python.js)."""',
  'import json',
  'import time',
  '',
  'import httpx',
  'import requests',
  'from fastapi import APIRouter, Depends',
  'from redis.asyncio import Redis',
  'from sqlalchemy import select',
  'from sqlalchemy.ext.asyncio import AsyncSession',
  '',
  'from app.db import get_client, get_db',
  `from app.models import ${ENTITIES.join(', ')}`,
  '',
  'router = APIRouter()',
  'redis = Redis()',
  '',
  '',
];

function generatePythonServiceFile(seed, targetLines) {
  const next = prng(seed);
  const lines = [...HEADER];
  let n = 0;
  while (lines.length < targetLines) {
    const E = ENTITIES[Math.floor(next() * ENTITIES.length)];
    const R = ENTITIES[Math.floor(next() * ENTITIES.length)];
    const template = TEMPLATES[Math.floor(next() * TEMPLATES.length)];
    lines.push(...template(E, R, n++));
  }
  return lines.join('\n');
}

/** A complete assignment inside a function (the typed statement goes on the next line, same indent). */
const assignmentInFunction = (lines, from) => statementInFunction(lines, from, /^ {4,}\w+ = .*[^([{,:\\]$/);

module.exports = { generatePythonServiceFile, assignmentInFunction };

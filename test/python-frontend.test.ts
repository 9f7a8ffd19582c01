import * as assert from 'assert';
import { defaultConfig, LineIndex, ready, SummaryIndex } from '../src/core';
import type { CallFact, FileFacts } from '../src/core';
import type { FileSummary } from '../src/core/project';
import { pythonFrontend } from '../src/frontends/python';

/**
 * The Python front-end's facts, checked directly (the rules have their own fixtures): positions in
 * UTF-16, name resolution within and across modules, loops, statements, summaries, offsets, and
 * that broken input still yields facts.
 */

const config = defaultConfig();

function extract(text: string, file = 'app/main.py', project?: SummaryIndex): FileFacts {
  return pythonFrontend.extract(file, text, 'python', config, project);
}

function summarize(file: string, text: string, project?: SummaryIndex): FileSummary {
  return pythonFrontend.summarize(file, text, 'python', config, project);
}

/** Summarise twice (helpers of helpers), then extract every file, as analyzeProject does. */
function project(files: Record<string, string>): Map<string, FileFacts> {
  let index = new SummaryIndex(Object.entries(files).map(([f, t]) => summarize(f, t)));
  index = new SummaryIndex(Object.entries(files).map(([f, t]) => summarize(f, t, index)));
  return new Map(Object.entries(files).map(([f, t]) => [f, extract(t, f, index)]));
}

function call(facts: FileFacts, calleeText: string): CallFact {
  const found = facts.calls.filter((c) => c.calleeText === calleeText);
  assert.strictEqual(found.length, 1, `expected one call \`${calleeText}\`, found ${found.length}: ${facts.calls.map((c) => c.calleeText).join(', ')}`);
  return found[0];
}

const HEADER = `from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
`;

describe('python front-end', function () {
  before(async () => {
    await ready();
  });

  describe('positions', () => {
    it('uses UTF-16 offsets after non-ASCII identifiers, strings and astral characters', () => {
      const text = `${HEADER}café = "日本語 😀 ümlaut"\n\nasync def größe(db: AsyncSession, ñ: list[int]):\n    for ü in ñ:\n        await db.get(User, ü)  # 😀\n`;
      const facts = extract(text);
      const get = call(facts, 'db.get');
      assert.strictEqual(get.span.start, text.indexOf('db.get(User'));
      assert.strictEqual(text.slice(get.span.start, get.span.end), 'db.get(User, ü)');
      assert.strictEqual(text.slice(get.calleeSpan.start, get.calleeSpan.end), 'db.get');
      const fn = facts.functions.find((f) => f.name === 'größe')!;
      assert.strictEqual(text.slice(fn.headerSpan.start, fn.headerSpan.end), 'größe');
      const loop = facts.loops[get.loopIds[0]];
      assert.strictEqual(text.slice(loop.span.start, loop.span.start + 9), 'for ü in ');
      const pos = new LineIndex(text).position(get.span.start);
      assert.deepStrictEqual(pos, { line: 8, column: 15 });
    });

    it('points an OFFSET finding at the keyword inside a string with non-ASCII text before it', () => {
      const text = `import asyncpg\n\nasync def page(pool: asyncpg.Pool, skip: int):\n    return await pool.fetch("SELECT 'é😀' AS x FROM t ORDER BY id LIMIT 10 OFFSET $1", skip)\n`;
      const facts = extract(text);
      assert.strictEqual(facts.offsets.length, 1);
      const off = facts.offsets[0];
      assert.strictEqual(text.slice(off.span.start, off.span.end), 'OFFSET');
      assert.strictEqual(off.valueText, '$1');
      assert.strictEqual(off.source?.name, 'skip');
      assert.strictEqual(text.slice(off.source!.span.start, off.source!.span.end), 'skip: int');
    });
  });

  describe('name resolution in a module', () => {
    it('resolves import aliases and leaves look-alikes alone', () => {
      const text = `from time import sleep as pause
import requests as rq
import subprocess

def sleep(x):
    pass

class Clock:
    def sleep(self, x):
        pass

async def main(clock: Clock):
    pause(1)
    rq.get("https://example.com")
    subprocess.run(["ls"])
    sleep(1)
    clock.sleep(1)
`;
      const facts = extract(text);
      assert.strictEqual(call(facts, 'pause').effect?.kind, 'blocking');
      assert.strictEqual(call(facts, 'pause').effect?.api, 'time.sleep');
      assert.strictEqual(call(facts, 'rq.get').effect?.api, 'requests.get');
      assert.strictEqual(call(facts, 'subprocess.run').effect?.library, 'subprocess');
      assert.strictEqual(call(facts, 'sleep').effect, undefined);
      assert.strictEqual(call(facts, 'clock.sleep').effect, undefined);
    });

    it('types parameters from annotations, Depends, aliases and string annotations', () => {
      const text = `${HEADER}from typing import Annotated, Optional

async def get_db():
    yield AsyncSession()

SessionDep = Annotated[AsyncSession, Depends(get_db)]

async def a(s: SessionDep, x):
    await s.execute(x)

async def b(s: Optional[AsyncSession], x):
    await s.execute(x)

async def c(s: "AsyncSession | None", x):
    await s.scalar(x)

async def d(s=Depends(get_db), x=None):
    await s.scalars(x)

async def e(s: AsyncSession | None, x):
    await s.get(x, 1)
`;
      const facts = extract(text);
      for (const c of facts.calls.filter((c) => /^s\./.test(c.calleeText))) {
        assert.strictEqual(c.effect?.kind, 'query', `\`${c.calleeText}\` in function ${c.functionId}`);
        assert.strictEqual(c.effect?.library, 'sqlalchemy');
        assert.strictEqual(c.connectionKey, 's');
      }
      assert.strictEqual(facts.calls.filter((c) => /^s\./.test(c.calleeText)).length, 5);
    });

    it('follows self attributes set in __init__ and class-level annotations', () => {
      const text = `${HEADER}import httpx

class Repo:
    client: httpx.Client

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.client = httpx.Client()

    async def load(self, i):
        self.client.get("https://x")
        return await self.session.get(User, i)
`;
      const facts = extract(text);
      assert.strictEqual(call(facts, 'self.session.get').effect?.kind, 'query');
      assert.strictEqual(call(facts, 'self.session.get').connectionKey, 'self.session');
      assert.strictEqual(call(facts, 'self.client.get').effect?.kind, 'blocking');
    });

    it('names Redis round trips as Redis and tells async from sync clients', () => {
      const text = `import redis
import redis.asyncio as aioredis

sync_client = redis.Redis()
async_client = aioredis.from_url("redis://")

async def f(keys):
    for k in keys:
        await async_client.get(k)
        sync_client.get(k)
`;
      const facts = extract(text);
      const a = call(facts, 'async_client.get');
      assert.strictEqual(a.effect?.kind, 'query');
      assert.strictEqual(a.effect?.store, 'redis');
      assert.strictEqual(call(facts, 'sync_client.get').effect?.kind, 'blocking');
    });

    it('uses a sync DB client as a query in sync code and as blocking in async code', () => {
      const text = `import psycopg2
conn = psycopg2.connect("")
cur = conn.cursor()

def sync_job(ids):
    for i in ids:
        cur.execute("SELECT 1")

async def async_job(ids):
    cur.execute("SELECT 2")
`;
      const facts = extract(text);
      const [inSync, inAsync] = facts.calls.filter((c) => c.calleeText === 'cur.execute');
      assert.strictEqual(inSync.effect?.kind, 'query');
      assert.strictEqual(inAsync.effect?.kind, 'blocking');
    });
  });

  describe('functions', () => {
    it('marks FastAPI async routes as handlers and sync routes and dependencies as thread-pool code', () => {
      const text = `${HEADER}
router = APIRouter()

def get_settings():
    return {}

@router.get("/a")
async def a(settings=Depends(get_settings)):
    def inner():
        return 1
    return inner()

@router.post("/b")
def b():
    return 2

async def helper():
    return 3
`;
      const facts = extract(text);
      const byName = (n: string) => facts.functions.find((f) => f.name === n)!;
      assert.strictEqual(byName('a').isHandler, true);
      assert.strictEqual(byName('a').isAsync, true);
      assert.ok(!byName('a').runsInThreadPool);
      assert.strictEqual(byName('b').runsInThreadPool, true);
      assert.strictEqual(byName('get_settings').runsInThreadPool, true);
      assert.strictEqual(byName('helper').isHandler, false);
      assert.strictEqual(byName('inner').parent, byName('a').id);
      assert.strictEqual(byName('inner').isAsync, false);
    });

    it('treats functions handed to a thread as thread-pool code', () => {
      const text = `import asyncio, time
def work():
    time.sleep(1)
async def main():
    await asyncio.to_thread(work)
    await asyncio.to_thread(lambda: time.sleep(2))
`;
      const facts = extract(text);
      assert.strictEqual(facts.functions.find((f) => f.name === 'work')?.runsInThreadPool, true);
      const lambda = facts.functions.find((f) => f.name === undefined)!;
      assert.strictEqual(lambda.runsInThreadPool, true);
      assert.strictEqual(lambda.isAsync, false);
      // Passing `work` is not calling it: no call fact for it in `main`.
      assert.ok(!facts.calls.some((c) => c.calleeText === 'work'));
    });
  });

  describe('loops', () => {
    it('makes every comprehension clause a loop and keeps the first iterable outside', () => {
      const text = `${HEADER}
async def f(db: AsyncSession, groups):
    return [await db.get(User, u) for g in await db.scalars(select(Group)) for u in g.members if await db.scalar(u)]
`;
      const facts = extract(text);
      assert.strictEqual(facts.loops.length, 2);
      assert.ok(facts.loops.every((l) => l.kind === 'comprehension' && l.overCollection));
      assert.deepStrictEqual(call(facts, 'db.scalars').loopIds, []);
      assert.deepStrictEqual(call(facts, 'db.get').loopIds, [1, 0]);
      assert.deepStrictEqual(call(facts, 'db.scalar').loopIds, [1, 0]);
    });

    it('recognises asyncio.gather over a generator as starting together', () => {
      const text = `${HEADER}import asyncio
async def f(db: AsyncSession, ids):
    return await asyncio.gather(*(db.get(User, i) for i in ids))
`;
      const facts = extract(text);
      const get = call(facts, 'db.get');
      assert.strictEqual(get.effect?.kind, 'query');
      assert.strictEqual(get.awaited, false);
      assert.strictEqual(facts.loops[get.loopIds[0]].startsTogether, true);
    });

    it('sees that async for … break and return leave in the first iteration', () => {
      const text = `async def f(get_session, ids):
    async for s in get_session():
        await s.get(User, 1)
        break
    for i in ids:
        return await s.get(User, i)
    for i in ids:
        if i:
            continue
        break
    for i in ids:
        try:
            return await s.get(User, i)
        except OSError:
            pass
`;
      const facts = extract(text);
      assert.deepStrictEqual(
        facts.loops.map((l) => [l.kind, l.exitsInFirstIteration]),
        [
          ['async-for', true],
          ['for-of', true],
          ['for-of', false],
          ['for-of', true],
        ],
      );
    });

    it('marks paging and polling loops: open-ended while, queue draining, carried names', () => {
      const text = `import asyncpg
from collections import deque

async def pages(pool: asyncpg.Pool, roots):
    last_id = 0
    while True:
        rows = await pool.fetch("SELECT * FROM t WHERE id > $1", last_id)
        if not rows:
            break
        last_id = rows[-1]["id"]
    queue = deque(roots)
    while queue:
        item = queue.popleft()
        await pool.fetch("SELECT 1", item)
    stmt = None
    for r in roots:
        stmt = "SELECT 2"
        await pool.fetch(stmt)
`;
      const facts = extract(text);
      const [paging, draining, plain] = facts.loops;
      assert.strictEqual(paging.overCollection, false);
      assert.deepStrictEqual(paging.carriedNames, ['last_id']);
      assert.strictEqual(draining.overCollection, true);
      assert.strictEqual(draining.iterableText, 'queue');
      // `stmt` is assigned before it is read in each iteration: nothing carried.
      assert.deepStrictEqual(plain.carriedNames, []);
    });

    it('does not count a nested def or lambda body as part of the loop', () => {
      const text = `${HEADER}
async def f(db: AsyncSession, ids):
    for i in ids:
        async def later():
            return await db.get(User, i)
        cb = lambda: db.get(User, i)
`;
      const facts = extract(text);
      for (const c of facts.calls.filter((c) => c.calleeText === 'db.get')) assert.deepStrictEqual(c.loopIds, []);
    });
  });

  describe('statements', () => {
    it('finds the single top-level await of a statement and the names it reads and binds', () => {
      const text = `async def f(client, pool, url):
    a = await client.get(url)
    b, c = await pool.fetch("x")
    await client.post(url, json=a)
    d = (await client.get(url)).json()
    total += await pool.fetchval("y")
    if await pool.fetchval("z"):
        return
    return await client.get(b)
`;
      const facts = extract(text);
      const body = facts.blocks.find((b) => b.statements.length === 7)!;
      const [s1, s2, s3, s4, s5, s6, s7] = body.statements;
      assert.ok(s1.await && !s1.otherAwait);
      assert.deepStrictEqual(s1.namesWritten, ['a']);
      assert.deepStrictEqual(new Set(s1.namesRead), new Set(['client', 'url']));
      assert.strictEqual(facts.calls[s1.await.callId!].calleeText, 'client.get');
      assert.deepStrictEqual(new Set(s2.namesWritten), new Set(['b', 'c']));
      assert.ok(s3.await);
      assert.ok(s3.namesRead.includes('a'));
      assert.ok(!s4.await && s4.otherAwait, 'an await inside an expression is not the statement');
      assert.ok(s5.await);
      assert.ok(s5.namesRead.includes('total') && s5.namesWritten.includes('total'));
      assert.ok(!s6.await && s6.otherAwait && s6.exits);
      assert.ok(s7.await && s7.exits);
    });

    it('gives each branch its own block', () => {
      const text = `async def f(c, flag):
    if flag:
        x = await c.get("a")
    else:
        x = await c.get("b")
    return x
`;
      const facts = extract(text);
      assert.strictEqual(facts.blocks.length, 3);
    });
  });

  describe('offsets', () => {
    it('traces .offset() to the parameter through local arithmetic and ignores constants', () => {
      const text = `${HEADER}
PAGE = 20

async def f(db: AsyncSession, page: int = 1, size: int = 10):
    start = (page - 1) * size
    a = select(User).offset(start)
    b = select(User).offset(3 * 2)
    c = select(User).offset(PAGE)
`;
      const facts = extract(text);
      assert.deepStrictEqual(
        facts.offsets.map((o) => [o.valueText, o.constant, o.source?.name]),
        [
          ['start', false, 'page'],
          ['3 * 2', true, undefined],
          ['PAGE', true, undefined],
        ],
      );
      assert.strictEqual(text.slice(facts.offsets[0].span.start, facts.offsets[0].span.end), 'offset');
    });

    it('finds OFFSET only in SQL that reaches a query call, not in comments, quotes or other strings', () => {
      const text = `import asyncpg
async def f(pool: asyncpg.Pool, skip: int):
    note = "LIMIT 10 OFFSET $1"
    await pool.fetch("SELECT utc_offset AS offset FROM tz -- OFFSET $1\\n WHERE x <> 'OFFSET 3'")
    await pool.fetch(f"SELECT * FROM t OFFSET {skip}")
`;
      const facts = extract(text);
      assert.strictEqual(facts.offsets.length, 1);
      assert.strictEqual(facts.offsets[0].valueText, '{skip}');
      assert.strictEqual(facts.offsets[0].source?.name, 'skip');
    });
  });

  describe('across modules', () => {
    const files = {
      'svc/app/__init__.py': '',
      'svc/app/crud/__init__.py': 'from .user import user\n',
      'svc/app/crud/base.py': `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

class CRUDBase:
    def __init__(self, model):
        self.model = model

    async def get(self, db: AsyncSession, id):
        return await db.get(self.model, id)

    async def get_multi(self, db: AsyncSession, skip: int = 0):
        return (await db.scalars(select(self.model).offset(skip))).all()
`,
      'svc/app/crud/user.py': `from app.crud.base import CRUDBase
from app.models import User

class CRUDUser(CRUDBase):
    def label(self, u):
        return str(u)

user = CRUDUser(User)
`,
      'svc/app/models.py': 'class User: ...\n',
      'svc/app/files.py': `from pathlib import Path

def read_config():
    return Path("/etc/x").read_text()

def wrapper():
    return read_config()
`,
      'svc/app/routes.py': `from sqlalchemy.ext.asyncio import AsyncSession
from app import crud
from app.crud import user as crud_user
from app.files import wrapper

async def list_users(db: AsyncSession, ids: list[int]):
    a = [await crud.user.get(db, i) for i in ids]
    b = [await crud_user.get(db, i) for i in ids]
    c = [crud_user.label(i) for i in ids]
    wrapper()
    return a, b, c
`,
    };

    it('resolves a CRUD object in a package to its inherited methods, pointing at the query', () => {
      const facts = project(files).get('svc/app/routes.py')!;
      for (const text of ['crud.user.get', 'crud_user.get']) {
        const c = call(facts, text);
        assert.strictEqual(c.effect?.kind, 'query', text);
        assert.strictEqual(c.effect?.via?.file, 'svc/app/crud/base.py');
        assert.strictEqual(c.effect?.via?.helper, 'CRUDBase.get');
        assert.strictEqual(c.effect?.via?.api, 'db.get');
        assert.strictEqual(c.connectionKey, 'db');
        assert.strictEqual(files['svc/app/crud/base.py'].slice(c.effect!.via!.span.start, c.effect!.via!.span.end), 'db.get(self.model, id)');
      }
      assert.strictEqual(call(facts, 'crud_user.label').effect, undefined);
    });

    it('carries blocking through two levels of sync helpers in another module', () => {
      const facts = project(files).get('svc/app/routes.py')!;
      const c = call(facts, 'wrapper');
      assert.strictEqual(c.effect?.kind, 'blocking');
      assert.strictEqual(c.effect?.via?.file, 'svc/app/files.py');
      assert.strictEqual(c.effect?.via?.helper, 'wrapper');
    });

    it('summarises module functions, classes with inherited methods, and typed values', () => {
      let index = new SummaryIndex(Object.entries(files).map(([f, t]) => summarize(f, t)));
      index = new SummaryIndex(Object.entries(files).map(([f, t]) => summarize(f, t, index)));
      const user = summarize('svc/app/crud/user.py', files['svc/app/crud/user.py'], index);
      assert.deepStrictEqual(Object.keys(user.classes.CRUDUser).sort(), ['__init__', 'get', 'get_multi', 'label']);
      assert.strictEqual(user.classes.CRUDUser.get.query?.kind, 'query');
      assert.strictEqual(user.exports.user.instanceOf, 'CRUDUser');
      const fileSummary = summarize('svc/app/files.py', files['svc/app/files.py'], index);
      assert.strictEqual(fileSummary.exports.read_config.function?.blocking?.api, 'Path.read_text');
      const db = summarize('svc/app/db.py', 'from sqlalchemy.ext.asyncio import async_sessionmaker\nSessionLocal = async_sessionmaker()\n');
      assert.strictEqual(db.exports.SessionLocal.typeId, 'sqlalchemy.async_sessionmaker');
    });

    it('puts the offset finding in the helper with the helper parameter as source', () => {
      const facts = project(files).get('svc/app/crud/base.py')!;
      assert.strictEqual(facts.offsets.length, 1);
      assert.strictEqual(facts.offsets[0].source?.name, 'skip');
    });
  });

  describe('robustness', () => {
    it('analyses the intact parts of a file with a syntax error and says so', () => {
      const text = `${HEADER}
def broken(:
    pass

async def ok(db: AsyncSession, ids):
    for i in ids:
        await db.get(User, i)
`;
      const facts = extract(text);
      assert.ok(facts.notes.some((n) => /syntax error at line 5/.test(n)), facts.notes.join('\n'));
      assert.strictEqual(call(facts, 'db.get').effect?.kind, 'query');
      assert.strictEqual(call(facts, 'db.get').loopIds.length, 1);
    });

    it('never throws on truncated input and keeps spans inside the text', () => {
      const text = `${HEADER}
async def f(db: AsyncSession, ids, skip: int = 0):
    rows = [await db.get(User, i) for i in ids]
    stmt = select(User).offset(skip)
    return await db.execute(text("SELECT * FROM t OFFSET :skip"), {"skip": skip})
`;
      for (let end = 0; end <= text.length; end++) {
        const part = text.slice(0, end);
        const facts = extract(part);
        for (const c of facts.calls) assert.ok(c.span.start >= 0 && c.span.end <= part.length);
        for (const o of facts.offsets) assert.ok(o.span.start >= 0 && o.span.end <= part.length);
        summarize('app/main.py', part);
      }
    });
  });
});

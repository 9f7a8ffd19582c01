import { ready } from '../src/core/analyze';
import type { FileSummary, ProjectIndex } from '../src/core/project';
import { parsePython, usePythonIncrementalParsing } from '../src/frontends/python/parser';
import { reuseStats } from '../src/frontends/python/statement-reuse';
import type { ReuseCase } from './statement-reuse-harness';
import { reuseTests } from './statement-reuse-harness';

/**
 * The editor walks only the top-level statements an edit may have changed and takes the facts of
 * the others over from the last analysis (src/frontends/python/statement-reuse.ts). After every
 * edit, the facts, findings and notes must be exactly those of a whole analysis of the same text.
 * Targeted edits cover each way one statement reaches another; random edits of every Python
 * fixture cover the rest.
 */

const CASES: ReuseCase[] = [
  {
    name: 'a dependency stops being one (Depends in another statement)',
    text: 'from fastapi import APIRouter, Depends\nimport time\n\nrouter = APIRouter()\n\n\nasync def get_db():\n    time.sleep(1)\n    yield 1\n\n\n@router.get("/items")\nasync def list_items(db=Depends(get_db)):\n    return db\n',
    edits: [['Depends(get_db)', 'Depends(other)'], ['Depends(other)', 'Depends(get_db)']],
  },
  {
    name: 'a function is handed to a thread, then no longer',
    text: 'import asyncio\nimport time\n\n\ndef report():\n    time.sleep(1)\n\n\nasync def handler():\n    loop = asyncio.get_running_loop()\n    await loop.run_in_executor(None, report)\n',
    edits: [['run_in_executor(None, report)', 'run_in_executor(None, print)'], ['run_in_executor(None, print)', 'run_in_executor(None, report)']],
  },
  {
    name: 'a helper starts blocking (its callers change)',
    text: 'import time\n\n\ndef slow():\n    return 1\n\n\ndef middle():\n    return slow()\n\n\nasync def route():\n    middle()\n\n\nasync def other():\n    return 2\n',
    edits: [['    return 1\n', '    time.sleep(1)\n'], ['def slow():', 'def slower():'], ['def slower():', 'def slow():']],
  },
  {
    name: 'a `global` statement in a function binds a module name',
    text: 'import redis\n\ncache = None\n\n\ndef setup():\n    global cache\n    cache = redis.Redis()\n\n\nasync def get(key):\n    return cache.get(key)\n',
    edits: [['    global cache\n', ''], ['def setup():\n', 'def setup():\n    global cache\n']],
  },
  {
    name: 'a module constant feeds an offset',
    text: 'from sqlalchemy import select\n\nPAGE = 20\n\n\nasync def page(db, skip: int):\n    return await db.execute(select(User).offset(PAGE))\n',
    edits: [['PAGE = 20', 'PAGE = skip_default()'], ['PAGE = skip_default()', 'PAGE = 20']],
  },
  {
    name: 'an annotation in a string names an imported class',
    text: 'async def f(ids, r: "Cache"):\n    for i in ids:\n        await r.get(i)\n\n\nasync def g():\n    return 1\n\n\nfrom redis.asyncio import Redis as Cache\n',
    edits: [['Redis as Cache', 'Redis as Other'], ['Redis as Other', 'Redis as Cache']],
  },
  {
    name: 'a base class changes what `self.session` is in a subclass',
    text: 'from sqlalchemy.ext.asyncio import AsyncSession\n\n\nclass Repo:\n    def __init__(self, session: AsyncSession):\n        self.session = session\n\n\nclass UserRepo(Repo):\n    async def get_all(self, ids):\n        for i in ids:\n            await self.session.get(User, i)\n',
    edits: [['session: AsyncSession', 'session: int'], ['session: int', 'session: AsyncSession']],
  },
  {
    name: 'typing inside one of several functions',
    text: 'import time\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\nasync def a(db: AsyncSession, ids):\n    for i in ids:\n        await db.get(User, i)\n\n\nasync def b(db: AsyncSession):\n    x = await db.scalar(q1)\n    y = await db.scalar(q2)\n    return x, y\n\n\nasync def c(items):\n    return [time.sleep(1) for _ in items]\n',
    edits: [['        await db.get(User, i)\n', '        await db.get(User, i)\n        print(i)\n'], ['    return x, y\n', '    z = 1\n    return x, y\n'], ['print(i)', 'time.sleep(i)'], ['async def b', 'def b']],
  },
  {
    name: 'a helper in a cycle (a handler named `list` shadows the builtin its helpers call)',
    text: 'import asyncio\nfrom sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\nengine = create_async_engine("postgresql+asyncpg://bot@localhost/bot")\nasync_session = async_sessionmaker(engine)\n\n\nasync def get_reviews(tg_id):\n    async with async_session() as session:\n        return list(await session.scalars(select(Review)))\n\n\nasync def get_featured():\n    async with async_session() as session:\n        return list(await session.scalars(select(Product)))\n\n\nasync def start(tg_id):\n    reviews = await get_reviews(tg_id)\n    return reviews\n\n\nasync def list(tg_id):\n    return await asyncio.gather(get_reviews(tg_id), get_featured())\n',
    // `start` is walked again, `get_reviews` is not: the query its call cites must not depend on that.
    edits: [['    reviews = await get_reviews(tg_id)\n', '    reviews = await get_reviews(tg_id)\n    count = 1\n']],
  },
  {
    name: 'a statement before the edit cites a helper after it',
    text: 'import asyncpg\n\n\nclass Repo:\n    def __init__(self, conn: asyncpg.Connection):\n        self.conn = conn\n\n    async def author(self, i):\n        return await fetch_author(self.conn, i)\n\n\nx = 1\n\n\nasync def fetch_author(conn: asyncpg.Connection, i):\n    return await conn.fetchrow("SELECT 1", i)\n',
    edits: [['x = 1\n', 'x = 1\ny = 2\n'], ['y = 2\n', '']],
  },
  {
    name: 'a project helper from another file',
    text: 'from app.crud import get_user\n\n\nasync def one(db, ids):\n    for i in ids:\n        await get_user(db, i)\n\n\nasync def two():\n    return 1\n',
    // The helper's query is at 10-20 in its own file: moving this file's statements must not move it.
    edits: [['from app.crud', 'import os\nfrom app.crud'], ['    return 1\n', '    return 2\n'], ['await get_user(db, i)', 'await get_user(db, i + 1)']],
    project: projectWith({
      file: '/virtual/app/crud.py',
      language: 'python',
      exports: {
        get_user: {
          function: {
            name: 'get_user',
            isAsync: true,
            query: { kind: 'query', library: 'sqlalchemy', api: 'db.get', via: { file: '/virtual/app/crud.py', span: { start: 10, end: 20 }, api: 'db.get', helper: 'get_user' } },
          },
        },
      },
      classes: {},
    }),
  },
];

function projectWith(summary: FileSummary): ProjectIndex {
  return {
    resolveModule: (_from, specifier) => (specifier === 'app.crud' ? summary : undefined),
    findClass: () => undefined,
  };
}

const STATEMENTS = [
  'pass',
  'x = 1',
  'await db.execute(q)',
  'time.sleep(1)',
  'for u in users: await session.get(User, u)',
  'requests.get(url)',
  'data = open(path).read()',
  'global cache',
  'return await db.scalar(q)',
  'items = [await db.get(Item, i) for i in ids]',
  'await asyncio.to_thread(helper)',
  'loop.run_in_executor(None, helper)',
  'background_tasks.add_task(helper)',
  'x = Depends(get_db)',
  'q = select(User).offset(skip)',
  '# note',
];

const STRAYS = ['\n', 'x', ' ', '(', ':', '"'];

function parses(text: string): boolean {
  const parsed = parsePython(text);
  return !!parsed && !parsed.hasError;
}

describe('python statement reuse in the editor', function () {
  this.timeout(120_000);
  before(async () => {
    await ready();
  });
  after(() => usePythonIncrementalParsing(false));

  reuseTests({ editorMode: usePythonIncrementalParsing, stats: reuseStats, cases: CASES, extensions: ['.py'], statements: STATEMENTS, strays: STRAYS, parses });
});

import * as assert from 'assert';
import { defaultConfig } from '../src/core';
import { ready } from '../src/core/analyze';
import type { TextEdit } from '../src/core/finding';
import { frontendFor } from '../src/frontends';
import { isPythonSyntax } from '../src/frontends/python/fix-syntax-api';
import type { PythonFixSyntax } from '../src/frontends/python/fix-syntax-api';
import type { PyNode } from '../src/frontends/python/tree';

let counter = 0;
function syntaxOf(text: string): PythonFixSyntax {
  const frontend = frontendFor('python')!;
  // A new file name per text: the front-end caches the parse per file.
  const facts = frontend.extract(`fix-syntax-${counter++}.py`, text, 'python', defaultConfig());
  const syntax = frontend.fixSyntax!(facts);
  assert.ok(isPythonSyntax(syntax), 'the Python front-end gives a Python fix syntax');
  return syntax;
}

function apply(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'an import edit');
  return text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
}

function find(root: PyNode, test: (n: PyNode) => boolean): PyNode {
  const stack = [root];
  while (stack.length) {
    const n = stack.shift()!;
    if (test(n)) return n;
    stack.push(...n.children);
  }
  assert.fail('node not found');
}

describe('Python fix syntax', () => {
  before(() => ready());

  describe('adding `import asyncio` in the file’s style', () => {
    const cases: Array<[string, string, string]> = [
      [
        'after the docstring and `from __future__`',
        '"""Doc."""\nfrom __future__ import annotations\n\n\nasync def f():\n    pass\n',
        '"""Doc."""\nfrom __future__ import annotations\n\nimport asyncio\n\n\nasync def f():\n    pass\n',
      ],
      ['before a first def, after a shebang', '#!/usr/bin/env python3\n\nasync def f():\n    pass\n', '#!/usr/bin/env python3\n\nimport asyncio\n\n\nasync def f():\n    pass\n'],
      [
        'in sorted place among standard-library imports (plain imports first)',
        'import os\nimport time\nfrom pathlib import Path\n\nimport httpx\n',
        'import asyncio\nimport os\nimport time\nfrom pathlib import Path\n\nimport httpx\n',
      ],
      [
        'after the last plain standard-library import',
        '"""Doc."""\nimport abc\nfrom pathlib import Path\n\nimport httpx\n',
        '"""Doc."""\nimport abc\nimport asyncio\nfrom pathlib import Path\n\nimport httpx\n',
      ],
      ['as its own group before third-party imports', 'import httpx\nfrom fastapi import APIRouter\n', 'import asyncio\n\nimport httpx\nfrom fastapi import APIRouter\n'],
      ['with the file’s CRLF line ends', 'import os\r\nimport time\r\n', 'import asyncio\r\nimport os\r\nimport time\r\n'],
    ];
    for (const [what, text, expected] of cases) {
      it(what, () => {
        const found = syntaxOf(text).moduleName('asyncio');
        assert.strictEqual(found.name, 'asyncio');
        assert.strictEqual(apply(text, found.edit), expected);
      });
    }

    it('uses the existing import, or its alias, without an edit', () => {
      assert.deepStrictEqual(syntaxOf('import asyncio\n').moduleName('asyncio'), { name: 'asyncio' });
      assert.deepStrictEqual(syntaxOf('import os\nimport asyncio as aio\n').moduleName('asyncio'), { name: 'aio' });
    });

    it('does not take `import redis.asyncio` for asyncio', () => {
      const text = 'import redis.asyncio as redis\n';
      assert.strictEqual(apply(text, syntaxOf(text).moduleName('asyncio').edit), 'import asyncio\n\nimport redis.asyncio as redis\n');
    });
  });

  describe('`from … import name`', () => {
    it('adds the name to a one-line import of the module, in sorted place', () => {
      const text = 'from sqlalchemy import func, update\n';
      const found = syntaxOf(text).fromImport('sqlalchemy', 'select');
      assert.strictEqual(found.name, 'select');
      assert.strictEqual(apply(text, found.edit), 'from sqlalchemy import func, select, update\n');
    });

    it('finds the name imported from an equivalent module or under an alias', () => {
      assert.deepStrictEqual(syntaxOf('from sqlmodel import select\n').fromImport('sqlalchemy', 'select', ['sqlmodel']), { name: 'select' });
      assert.deepStrictEqual(syntaxOf('from sqlalchemy.orm import selectinload as sl\n').fromImport('sqlalchemy.orm', 'selectinload'), { name: 'sl' });
    });

    it('adds a new line when error recovery left the module’s import without names', () => {
      // Found by the robustness test's random mutations: `**` typed into the import.
      const text = 'import time\nfrom sqlalchemy import** select\n\n\nasync def f():\n    pass\n';
      const found = syntaxOf(text).fromImport('sqlalchemy', 'select');
      assert.strictEqual(found.name, 'select');
      assert.ok(found.edit, 'an edit');
      assert.match(apply(text, found.edit), /\nfrom sqlalchemy import select\n/);
    });

    it('adds a new line after the imports when the module’s import is parenthesised', () => {
      const text = 'from sqlalchemy import (\n    func,\n)\n\n\nasync def f():\n    pass\n';
      assert.strictEqual(apply(text, syntaxOf(text).fromImport('sqlalchemy', 'select').edit), 'from sqlalchemy import (\n    func,\n)\nfrom sqlalchemy import select\n\n\nasync def f():\n    pass\n');
    });
  });

  describe('where `await` may be written', () => {
    const text = [
      'async def outer(xs):',
      '    a = f(1)',
      '    b = [f(x) for x in xs]',
      '    c = sum(f(x) for x in xs)',
      '    d = lambda: f(2)',
      '    def inner():',
      '        return f(3)',
      '',
      'def sync():',
      '    return f(4)',
      '',
    ].join('\n');
    const cases: Array<[string, boolean]> = [
      ['f(1)', true],
      ['f(x) for x in xs]', true],
      ['f(x) for x in xs)', false],
      ['f(2)', false],
      ['f(3)', false],
      ['f(4)', false],
    ];
    for (const [where, legal] of cases) {
      it(`${legal ? 'in' : 'not in'} \`${where}\``, () => {
        const syntax = syntaxOf(text);
        const outer = find(syntax.root, (n) => n.type === 'function_definition');
        const at = text.indexOf(where);
        const call = find(syntax.root, (n) => n.type === 'call' && n.start === at);
        assert.strictEqual(syntax.awaitLegalAt(call, outer), legal);
      });
    }
  });

  it('finds nodes by UTF-16 offsets after non-ASCII and astral characters', () => {
    const text = 's = "Größe 😀"\n\n\nasync def straße(größe):\n    return fetch(größe, "☃")\n';
    const syntax = syntaxOf(text);
    const start = text.indexOf('fetch(');
    const end = text.indexOf(')', start) + 1;
    const call = syntax.nodeAt({ start, end }, 'call');
    assert.ok(call, 'the call is found at its UTF-16 span');
    assert.strictEqual(syntax.src(call), 'fetch(größe, "☃")');
  });
});

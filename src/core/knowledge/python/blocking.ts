import type { PyCallable, PyKnowledge, PyType } from './schema';
import { BLOCKING, LIFECYCLE, each, klass } from './schema';

/**
 * Calls that block the thread: sleeping, file and network I/O, child processes. Resolved by module
 * (an `import requests` or `from time import sleep`), never by name alone, so an `async` client
 * with the same method names (`httpx.AsyncClient.get`) is not mistaken for a blocking one.
 */

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'] as const;

function mod(library: string, methods: Record<string, PyCallable>, attributes: Record<string, string> = {}): PyType {
  return { library, display: library, module: true, methods, attributes };
}

/** The async HTTP clients: not blocking, but reads and writes for sequential-awaits. */
const asyncHttp = (library: string, display: string): PyType => ({
  library,
  display,
  methods: {
    ...each(['get', 'head', 'options'], { op: 'read' }),
    ...each(['post', 'put', 'patch', 'delete'], { op: 'write' }),
    ...each(['aclose', 'close'], LIFECYCLE),
  },
});

const path: PyType = {
  library: 'pathlib',
  display: 'Path',
  methods: {
    ...each(['read_text', 'write_text', 'read_bytes', 'write_bytes', 'open'], BLOCKING),
    ...each(['joinpath', 'with_suffix', 'with_name', 'with_stem', 'resolve', 'absolute', 'expanduser', 'relative_to'], { returns: 'pathlib.Path' }),
  },
  attributes: { parent: 'pathlib.Path' },
  divides: 'pathlib.Path',
};

const pathClass: PyType = {
  ...klass('pathlib.Path'),
  methods: each(['home', 'cwd'], { returns: 'pathlib.Path' }),
  divides: 'pathlib.Path',
};

export const blocking: PyKnowledge = {
  modules: {
    time: 'mod:time',
    asyncio: 'mod:asyncio',
    anyio: 'mod:anyio',
    trio: 'mod:trio',
    requests: 'mod:requests',
    'requests.sessions': 'mod:requests',
    httpx: 'mod:httpx',
    aiohttp: 'mod:aiohttp',
    urllib: 'mod:urllib',
    'urllib.request': 'mod:urllib.request',
    urllib3: 'mod:urllib3',
    subprocess: 'mod:subprocess',
    os: 'mod:os',
    builtins: 'mod:builtins',
    io: 'mod:io',
    codecs: 'mod:codecs',
    pathlib: 'mod:pathlib',
    shutil: 'mod:shutil',
    psutil: 'mod:psutil',
    smtplib: 'mod:smtplib',
    boto3: 'mod:boto3',
    pandas: 'mod:pandas',
    zipfile: 'mod:zipfile',
    tarfile: 'mod:tarfile',
    'dulwich.porcelain': 'mod:dulwich.porcelain',
    git: 'mod:git',
  },
  types: {
    'mod:time': mod('time', { sleep: { ...BLOCKING, op: 'sleep' } }),
    'mod:asyncio': mod('asyncio', { sleep: { op: 'sleep' } }),
    'mod:anyio': mod('anyio', { sleep: { op: 'sleep' } }),
    'mod:trio': mod('trio', { sleep: { op: 'sleep' } }),

    'mod:requests': mod('requests', { ...each(HTTP_VERBS, BLOCKING), session: { returns: 'requests.Session' } }, { Session: 'requests.Session:class' }),
    'requests.Session:class': klass('requests.Session'),
    'requests.Session': { library: 'requests', display: 'Session', methods: { ...each([...HTTP_VERBS, 'send'], BLOCKING), close: LIFECYCLE } },

    'mod:httpx': mod('httpx', { ...each([...HTTP_VERBS, 'stream'], BLOCKING) }, { Client: 'httpx.Client:class', AsyncClient: 'httpx.AsyncClient:class' }),
    'httpx.Client:class': klass('httpx.Client'),
    'httpx.Client': { library: 'httpx', display: 'Client', methods: { ...each([...HTTP_VERBS, 'send', 'stream'], BLOCKING), close: LIFECYCLE } },
    'httpx.AsyncClient:class': klass('httpx.AsyncClient'),
    'httpx.AsyncClient': asyncHttp('httpx', 'AsyncClient'),
    'mod:aiohttp': mod('aiohttp', {}, { ClientSession: 'aiohttp.ClientSession:class' }),
    'aiohttp.ClientSession:class': klass('aiohttp.ClientSession'),
    'aiohttp.ClientSession': asyncHttp('aiohttp', 'ClientSession'),

    'mod:urllib': mod('urllib', {}),
    'mod:urllib.request': mod('urllib', each(['urlopen', 'urlretrieve'], BLOCKING)),
    'mod:urllib3': mod('urllib3', { request: BLOCKING }, { PoolManager: 'urllib3.PoolManager:class' }),
    'urllib3.PoolManager:class': klass('urllib3.PoolManager'),
    'urllib3.PoolManager': { library: 'urllib3', display: 'PoolManager', methods: each(['request', 'urlopen'], BLOCKING) },

    'mod:subprocess': mod(
      'subprocess',
      each(['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput'], BLOCKING),
      { Popen: 'subprocess.Popen:class' },
    ),
    'subprocess.Popen:class': klass('subprocess.Popen'),
    'subprocess.Popen': { library: 'subprocess', display: 'Popen', methods: each(['wait', 'communicate'], BLOCKING) },
    'mod:os': mod('os', each(['system', 'popen', 'wait', 'waitpid'], BLOCKING)),

    'mod:builtins': mod('builtins', { open: { ...BLOCKING, returns: 'io.file' } }),
    'mod:io': mod('io', { open: { ...BLOCKING, returns: 'io.file' } }),
    'mod:codecs': mod('codecs', { open: { ...BLOCKING, returns: 'io.file' } }),
    'io.file': { library: 'io', display: 'file' },
    'mod:pathlib': mod('pathlib', {}, {
      Path: 'pathlib.Path:class',
      PurePath: 'pathlib.Path:class',
      PosixPath: 'pathlib.Path:class',
      WindowsPath: 'pathlib.Path:class',
    }),
    'pathlib.Path:class': pathClass,
    'pathlib.Path': path,
    'mod:shutil': mod('shutil', each(['copy', 'copy2', 'copyfile', 'copytree', 'move', 'rmtree', 'make_archive', 'unpack_archive'], BLOCKING)),
    'mod:psutil': mod('psutil', { cpu_percent: { ...BLOCKING, positiveArg: { index: 0, keyword: 'interval' } } }),

    'mod:smtplib': mod('smtplib', {}, { SMTP: 'smtplib.SMTP:class', SMTP_SSL: 'smtplib.SMTP:class' }),
    // Constructing an SMTP client with a host connects to it.
    'smtplib.SMTP:class': { ...klass('smtplib.SMTP'), callable: { ...BLOCKING, returns: 'smtplib.SMTP' } },
    'smtplib.SMTP': {
      library: 'smtplib',
      display: 'SMTP',
      methods: each(['connect', 'login', 'starttls', 'ehlo', 'helo', 'sendmail', 'send_message', 'quit', 'noop'], BLOCKING),
    },

    'mod:boto3': mod('boto3', { client: { returns: 'boto3.client' } }, { Session: 'boto3.Session:class' }),
    'boto3.Session:class': klass('boto3.Session'),
    'boto3.Session': { library: 'boto3', display: 'Session', methods: { client: { returns: 'boto3.client' } } },
    // Every AWS API call is an HTTP request; presigning and paginator set-up are local.
    'boto3.client': {
      library: 'boto3',
      display: 'client',
      otherMethods: BLOCKING,
      methods: each(['generate_presigned_url', 'generate_presigned_post', 'get_paginator', 'get_waiter', 'can_paginate', 'close'], {}),
    },

    // pandas reads and writes files (and URLs, and databases) synchronously; `to_csv()` without a
    // path returns a string instead, so the write methods block only when given one.
    'mod:pandas': mod(
      'pandas',
      {
        ...each(['read_csv', 'read_excel', 'read_json', 'read_parquet', 'read_feather', 'read_table', 'read_html', 'read_xml', 'read_pickle', 'read_sql', 'read_sql_query', 'read_sql_table', 'read_fwf', 'read_orc', 'read_stata', 'read_sas', 'read_spss'], { ...BLOCKING, returns: 'pandas.DataFrame', notInMemory: { index: 0, keyword: 'filepath_or_buffer' } }),
      },
      { DataFrame: 'pandas.DataFrame:class' },
    ),
    'pandas.DataFrame:class': klass('pandas.DataFrame'),
    'pandas.DataFrame': {
      library: 'pandas',
      display: 'DataFrame',
      methods: {
        ...each(['to_csv', 'to_json', 'to_parquet', 'to_feather', 'to_pickle', 'to_excel', 'to_html', 'to_xml', 'to_orc', 'to_stata'], { ...BLOCKING, positiveArg: { index: 0, keyword: 'path_or_buf' } }),
        to_sql: BLOCKING,
      },
    },

    // Archives: extracting writes files and adding reads them from disk; reading members of an
    // archive held in memory (`ZipFile(io.BytesIO(data))`) does not touch the disk, so it is not listed.
    'mod:zipfile': mod('zipfile', {}, { ZipFile: 'zipfile.ZipFile:class' }),
    'zipfile.ZipFile:class': klass('zipfile.ZipFile'),
    'zipfile.ZipFile': { library: 'zipfile', display: 'ZipFile', methods: { ...each(['extractall', 'extract', 'write'], BLOCKING), close: LIFECYCLE } },
    'mod:tarfile': mod('tarfile', { open: { returns: 'tarfile.TarFile' } }, { TarFile: 'tarfile.TarFile:class' }),
    'tarfile.TarFile:class': klass('tarfile.TarFile'),
    'tarfile.TarFile': { library: 'tarfile', display: 'TarFile', methods: { ...each(['extractall', 'extract', 'add'], BLOCKING), close: LIFECYCLE } },

    // Git over the network and on disk: dulwich's porcelain and GitPython.
    'mod:dulwich.porcelain': mod('dulwich', each(['clone', 'pull', 'push', 'fetch', 'add', 'commit', 'checkout', 'reset', 'status'], BLOCKING)),
    'mod:git': mod('git', {}, { Repo: 'git.Repo:class' }),
    'git.Repo:class': { ...klass('git.Repo'), methods: each(['clone_from', 'init'], { ...BLOCKING, returns: 'git.Repo' }) },
    'git.Repo': { library: 'git', display: 'Repo', methods: { ...each(['clone', 'archive'], BLOCKING) } },
  },
};

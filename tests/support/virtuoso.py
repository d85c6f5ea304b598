"""A real Virtuoso open-source server for tests (Debian package ``virtuoso-opensource``), on 127.0.0.1.

Each server gets a fresh database folder under the test's temporary folder and an ini of its own:
the SQL port and HTTP both bound to 127.0.0.1 on free ports, the database folder in ``DirsAllowed``,
``ResultSetMaxRows`` raised (Virtuoso silently cuts results at 10,000 rows by default), and the ``dba``
password changed from the default to one the test chooses. It is stopped by the context manager.
``.ci/run`` installs the package; without it the tests skip locally and fail in CI (``tests/servers.py``).
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.servers import free_port, require, stop, wait_for_http

VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
AllowOSCalls             = 0
DirsAllowed              = ., {db}, {vad}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = {vad}/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 1G
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {www}
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = 10000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 600
DefaultQuery               = ASK {{}}
DeferInferenceRulesInit    = 0
"""


@dataclass(frozen=True)
class Virtuoso:
    base: str  # http://127.0.0.1:PORT
    sql_port: int
    user: str
    password: str = field(repr=False)
    folder: Path
    isql_tool: str

    def sql(self, statement: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run one SQL statement as ``dba`` with ``isql-vt`` (e.g. the bulk loader: ``bench/bench_push.py``)."""
        return _isql(self.isql_tool, self.sql_port, self.password, statement, timeout)

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _isql(isql: str, port: int, password: str, statement: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [isql, f"127.0.0.1:{port}", "dba", password, f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def virtuoso_server(folder: Path, password: str | None = None) -> Iterator[Virtuoso]:
    """``virtuoso-t`` with a fresh database in ``folder``; ``dba``'s password set to ``password``."""
    exe = require("virtuoso-t", "Debian package 'virtuoso-opensource'")
    isql = require("isql-vt", "Debian package 'virtuoso-opensource'")
    password = password or "t-" + secrets.token_hex(8)
    db = folder / "db"
    www = folder / "www"
    db.mkdir(parents=True)
    www.mkdir()
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=db, vad=VAD_DIR, www=www, sql_port=sql_port, http_port=http_port))
    proc = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_for_http(f"{base}/sparql?query=ASK%20%7B%7D", timeout=120, proc=proc)
        deadline = time.monotonic() + 60
        while True:
            done = _isql(isql, sql_port, "dba", f"user_set_password('dba', '{password}');")
            if done.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"cannot set the dba password: {done.stdout[-300:]} {done.stderr[-300:]}")
            time.sleep(0.5)
        yield Virtuoso(base, sql_port, "dba", password, db, isql)
    finally:
        stop(proc, timeout=60)

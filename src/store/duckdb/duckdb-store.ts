import { chmodSync, statSync } from 'node:fs';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdbDialect } from '../../compiler/dialects/duckdb/dialect.js';
import { SegmataError } from '../../errors.js';
import { MIGRATIONS, migrate } from '../migrations.js';
import type { AppendColumn, AppendValue, ReadOptions, RecordStageOptions, Row, SqlRunner, SqlValue, StageOptions, StagedFile, Store } from '../store.js';
import { ChunkWriter } from './chunk-writer.js';
import { storeError, stoppedBy } from './errors.js';
import { stageFile, stageRecords } from './stage.js';

/** DuckDB's default number of vacuum tasks a checkpoint may schedule. */
const VACUUM_TASKS = 100;

/** DuckDB's buffer pool size, which bounds most of the process's memory. */
const MEMORY_LIMIT = '1GB';

/**
 * Files this process creates from now on are its owner's alone (mode 0600, directories 0700):
 * the database holds every contact's personal data, and DuckDB creates its files itself, the
 * WAL anew after each checkpoint and spill files under `<db>.tmp`, for as long as the database
 * is open, so no chmod after the fact could cover them; the process's umask does. It is
 * tightened (bits are only added: a stricter mask stays) for the whole process, which writes
 * nothing meant for others: its other files are temporary copies of imported data. A worker
 * thread cannot change the umask; there the database file alone is restricted, by chmod.
 */
function ownerOnlyFiles(path: string): void {
  try {
    // Set, then merged with what was there (reading the mask alone is deprecated).
    const previous = process.umask(0o077);
    process.umask(previous | 0o077);
  } catch {
    chmodOwnerOnly.add(path);
  }
}

/** Databases to chmod 0600 once created: opened where the umask could not be set. */
const chmodOwnerOnly = new Set<string>();

/** BIGINT counts come back as bigint; everything the engine reads fits a double. */
function normalise(row: Record<string, unknown>): Row {
  for (const k of Object.keys(row)) {
    const v = row[k];
    if (typeof v === 'bigint') row[k] = Number(v);
  }
  return row;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A tiny FIFO lock: one DuckDB connection runs one statement or transaction at a time. A
 * waiter whose signal aborts leaves the queue at once (a request past its deadline does not
 * wait for the statement ahead of it to end before it is answered).
 */
class Lock {
  private busy = false;
  private readonly queue: (() => void)[] = [];

  async hold<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      // Handed to the next waiter directly: the lock never looks free in between.
      const next = this.queue.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(stoppedBy(signal));
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        reject(stoppedBy(signal!));
      };
      this.queue.push(grant);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}

class ConnectionRunner implements SqlRunner {
  readonly dialect = duckdbDialect;
  constructor(protected readonly conn: DuckDBConnection) {}

  async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    try {
      const reader = await this.conn.runAndReadAll(sql, params as SqlValue[]);
      return reader.getRowObjectsJS().map((r) => normalise(r as Record<string, unknown>) as T);
    } catch (e) {
      throw storeError(e);
    }
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.execute(sql, params);
  }

  async write(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.execute(sql, params);
  }

  async append(table: string, columns: readonly AppendColumn[], rows: readonly (readonly AppendValue[])[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      const appender = await this.conn.createAppender(table);
      try {
        const writer = new ChunkWriter(appender, columns);
        for (const row of rows) writer.row(row);
        writer.flush();
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    } catch (e) {
      throw storeError(e);
    }
  }

  async each(sql: string, params: readonly SqlValue[], onRows: (rows: Row[]) => void | Promise<void>): Promise<void> {
    try {
      const result = await this.conn.stream(sql, params as SqlValue[]);
      // Awaited: a slow consumer (an HTTP response) holds the next chunk back, so memory stays flat.
      for await (const rows of result.yieldRowObjectJs()) await onRows(rows.map((r) => normalise(r as Record<string, unknown>)));
    } catch (e) {
      throw storeError(e);
    }
  }

  /** Not overridden (the store's `run` and `write` take its lock, then land here). */
  private async execute(sql: string, params: readonly SqlValue[]): Promise<number> {
    try {
      const result = await this.conn.run(sql, params as SqlValue[]);
      return result.rowsChanged;
    } catch (e) {
      throw storeError(e);
    }
  }
}

/** Every connection handles instants in UTC; a DATE casts to its midnight UTC. */
const UTC = "SET TimeZone = 'UTC'";

/** `fn` in one transaction on `conn`: committed if it returns, rolled back if it throws. */
async function inTransaction<T>(conn: DuckDBConnection, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
  const tx = new ConnectionRunner(conn);
  await tx.run('BEGIN TRANSACTION');
  try {
    const out = await fn(tx);
    await tx.run('COMMIT');
    return out;
  } catch (e) {
    await tx.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** How many connections serve reads (`Store.reader`): one per core of the machine this runs on. */
const READERS = 2;

/** How often an interrupt is repeated until the statement it is for has ended. */
const INTERRUPT_REPEAT_MS = 20;

/** One read connection, its lock, and how many statements are queued for it. */
interface ReadConnection {
  runner: ConnectionRunner;
  lock: Lock;
  waiting: number;
  conn: DuckDBConnection;
}

/**
 * Read-only connections, opened on first use; a statement goes to the one with the fewest
 * statements waiting. Each has its own lock, since a connection runs one statement at a time.
 */
class ReadPool {
  private readonly connections: ReadConnection[] = [];
  private opening: Promise<void> | undefined;

  constructor(private readonly instance: DuckDBInstance) {}

  private async pick(): Promise<ReadConnection> {
    while (this.connections.length < READERS) {
      this.opening ??= (async () => {
        const conn = await this.instance.connect();
        await conn.run(UTC);
        this.connections.push({ runner: new ConnectionRunner(conn), lock: new Lock(), waiting: 0, conn });
      })().finally(() => (this.opening = undefined));
      await this.opening;
    }
    return this.connections.reduce((a, b) => (b.waiting < a.waiting ? b : a));
  }

  /**
   * `fn` on a read connection. With a signal, its abort interrupts the statement (DuckDB
   * stops it; the connection stays usable) or takes a waiting one out of the queue.
   */
  async on<T>(fn: (runner: ConnectionRunner) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw stoppedBy(signal);
    const c = await this.pick();
    c.waiting++;
    try {
      return await c.lock.hold(async () => {
        if (!signal) return fn(c.runner);
        if (signal.aborted) throw stoppedBy(signal);
        // DuckDB clears a connection's interrupt when a statement starts: one that lands while
        // the statement is still being prepared or bound is lost. So it is repeated until the
        // statement ends.
        let repeat: NodeJS.Timeout | undefined;
        const interrupt = (): void => {
          c.conn.interrupt();
          repeat ??= setInterval(() => c.conn.interrupt(), INTERRUPT_REPEAT_MS);
        };
        signal.addEventListener('abort', interrupt, { once: true });
        try {
          const out = await fn(c.runner);
          // An interrupted stream can end early without an error: a read whose signal fired
          // before it returned is not taken as whole.
          if (signal.aborted) throw stoppedBy(signal);
          return out;
        } catch (e) {
          throw signal.aborted ? stoppedBy(signal) : e;
        } finally {
          // Removed before the lock passes on: an abort from now on cannot reach the next statement.
          signal.removeEventListener('abort', interrupt);
          clearInterval(repeat);
        }
      }, signal);
    } finally {
      c.waiting--;
    }
  }

  close(): void {
    for (const c of this.connections) c.conn.closeSync();
    this.connections.length = 0;
  }
}

/** The read connections as a statement runner, its statements stopped by `signal` if given. */
class PoolReads implements SqlRunner {
  readonly dialect = duckdbDialect;
  constructor(
    private readonly pool: ReadPool,
    private readonly signal?: AbortSignal,
  ) {}

  all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.pool.on((r) => r.all<T>(sql, params), this.signal);
  }

  each(sql: string, params: readonly SqlValue[], onRows: (rows: Row[]) => void | Promise<void>): Promise<void> {
    return this.pool.on((r) => r.each(sql, params, onRows), this.signal);
  }

  run(): Promise<void> {
    return Promise.reject(new Error('the read connections do not write'));
  }

  write(): Promise<number> {
    return Promise.reject(new Error('the read connections do not write'));
  }

  append(): Promise<void> {
    return Promise.reject(new Error('the read connections do not write'));
  }
}

export class DuckDBStore extends ConnectionRunner implements Store {
  readonly kind = 'duckdb' as const;
  private readonly lock = new Lock();
  /** The second connection of `backgroundTransaction`, opened on first use, and its own lock. */
  private background: DuckDBConnection | undefined;
  private readonly backgroundLock = new Lock();
  private stageCounter = 0;
  private readonly readers: ReadPool;
  /** The read connections without a signal: one runner for every caller. */
  private readonly reads: PoolReads;

  private constructor(
    private readonly instance: DuckDBInstance,
    conn: DuckDBConnection,
    /** The WAL file's path; undefined for a database in memory. */
    private readonly walPath: string | undefined,
  ) {
    super(conn);
    this.readers = new ReadPool(instance);
    this.reads = new PoolReads(this.readers);
  }

  reader(options: ReadOptions = {}): SqlRunner {
    return options.signal ? new PoolReads(this.readers, options.signal) : this.reads;
  }

  walBytes(): number {
    if (!this.walPath) return 0;
    try {
      return statSync(this.walPath).size;
    } catch {
      // No WAL file: nothing was written since the last checkpoint.
      return 0;
    }
  }

  async checkpoint(options: { vacuum: boolean }): Promise<void> {
    await this.lock.hold(async () => {
      // A global setting, read by the checkpoint itself (manual or automatic).
      await super.run(`SET GLOBAL max_vacuum_tasks = ${options.vacuum ? VACUUM_TASKS : 0}`);
      await super.run('CHECKPOINT');
    });
  }

  /** Open (creating if absent) a database file, or `:memory:`, and apply pending migrations. */
  static async open(path: string, now: () => Date = () => new Date()): Promise<DuckDBStore> {
    let instance: DuckDBInstance;
    if (path !== ':memory:') ownerOnlyFiles(path);
    try {
      instance = await DuckDBInstance.create(path);
      if (chmodOwnerOnly.delete(path)) chmodSync(path, 0o600);
    } catch (e) {
      const msg = describe(e);
      if (/lock/i.test(msg)) {
        // Only one process may open the file; the usual holder is a running server or watcher.
        const pid = /PID (\d+)/.exec(msg)?.[1];
        throw new SegmataError(
          'conflict',
          `database ${path} is in use by another process${pid ? ` (PID ${pid})` : ''}, most likely a running "segmata serve" or "segmata watch": stop it first, or make the change through its HTTP API`,
        );
      }
      throw new SegmataError('store', `cannot open database ${path}: ${msg.split('\n')[0]}`);
    }
    const conn = await instance.connect();
    const store = new DuckDBStore(instance, conn, path === ':memory:' ? undefined : `${path}.wal`);
    await store.run(UTC);
    // Query progress (read by `progress()` for import bars) is only tracked with the bar on;
    // DuckDB's own printing of it stays off.
    await store.run('SET enable_progress_bar = true');
    await store.run('SET enable_progress_bar_print = false');
    // Bounded buffer pool: large imports stage in temporary tables that spill to disk past
    // this instead of growing the process (DuckDB's default is 80% of RAM).
    await store.run(`SET memory_limit = '${MEMORY_LIMIT}'`);
    await store.transaction(async (tx) => {
      await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, name VARCHAR, applied_at TIMESTAMPTZ)');
      const rows = await tx.all<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const current = rows[0]?.v ?? 0;
      const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
      if (current > latest) {
        throw new SegmataError('store', `database ${path} was written by a newer Segmata (schema ${current} > ${latest})`);
      }
      await migrate(tx, current, now);
    });
    return store;
  }

  override async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.lock.hold(() => super.all<T>(sql, params));
  }

  override async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    return this.lock.hold(() => super.run(sql, params));
  }

  override async write(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.lock.hold(() => super.write(sql, params));
  }

  override async append(table: string, columns: readonly AppendColumn[], rows: readonly (readonly AppendValue[])[]): Promise<void> {
    return this.lock.hold(() => super.append(table, columns, rows));
  }

  override async each(sql: string, params: readonly SqlValue[], onRows: (rows: Row[]) => void | Promise<void>): Promise<void> {
    return this.lock.hold(() => super.each(sql, params, onRows));
  }

  async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.lock.hold(() => inTransaction(this.conn, fn));
  }

  async backgroundTransaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.backgroundLock.hold(async () => {
      if (!this.background) {
        this.background = await this.instance.connect();
        await this.background.run(UTC);
      }
      return inTransaction(this.background, fn);
    });
  }

  async stageFile(path: string, options: StageOptions): Promise<StagedFile> {
    const table = `_stage_${++this.stageCounter}`;
    return this.lock.hold(() => stageFile(this.conn, new ConnectionRunner(this.conn), path, table, options));
  }

  async stageRecords(rows: readonly unknown[], options: RecordStageOptions): Promise<StagedFile> {
    const table = `_stage_${++this.stageCounter}`;
    return this.lock.hold(() => stageRecords(this.conn, new ConnectionRunner(this.conn), rows, table, options));
  }

  progress(): number | undefined {
    const p = this.conn.progress;
    return p.percentage >= 0 ? p.percentage : undefined;
  }

  async close(): Promise<void> {
    await this.backgroundLock.hold(async () => this.background?.closeSync());
    this.readers.close();
    await this.lock.hold(async () => {
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}

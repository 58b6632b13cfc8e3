// CPU seconds spent by the processes behind a benchmark — wxgate nodes, PostgreSQL, Redis, the bench's own, the machine — so a bench shows what limits it rather than guessing.
//
// Linux only: read from /proc (a process's utime and stime, and for a parent the time of the children it reaped), from
// /proc/stat for the whole machine, and from Redis' own INFO (which works wherever Redis runs). A component that cannot
// be read here (PostgreSQL on another machine) is null, and the report says so.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';

/** Clock ticks per second of /proc's times (USER_HZ). */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, seconds. */
  readonly own: number;
  /** cutime + cstime: the children it has waited for, seconds. */
  readonly reaped: number;
}

/** One process's times; undefined when it is gone (or /proc is not there). */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: the fields are counted from after its closing one (field 3 on).
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  return { ppid: f[1]!, own: (f[11]! + f[12]!) / TICKS, reaped: (f[13]! + f[14]!) / TICKS };
}

/** The direct children of each process now running (zombies included: they still show their times). */
function childrenByParent(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) byParent.set(stat.ppid, [...(byParent.get(stat.ppid) ?? []), Number(name)]);
  }
  return byParent;
}

/**
 * A process and its children, `except` some: its own time, what its exited children spent (once reaped) and what its
 * live children spent so far. The difference of two readings is what the tree spent in between, children that came
 * and went included.
 */
function treeSeconds(root: number, byParent: Map<number, number[]>, except: ReadonlySet<number> = new Set()): number {
  const stat = procStat(root);
  if (!stat) return 0;
  let total = stat.own + stat.reaped;
  for (const child of byParent.get(root) ?? []) if (!except.has(child)) total += procStat(child)?.own ?? 0;
  return total;
}

/** The whole machine from /proc/stat: busy (user, nice, system, irq, softirq) and all time, seconds summed over cores. */
function machineSeconds(): { busy: number; all: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks as number[];
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy: busy / TICKS, all: (busy + idle! + iowait! + steal!) / TICKS };
}

export interface CpuReading {
  /** process.hrtime.bigint() when read. */
  readonly at: bigint;
  /** Per wxgate node process id. */
  readonly nodes: ReadonlyMap<number, number>;
  readonly postgres: number | null;
  readonly redis: number | null;
  /** This process and its children other than the nodes: load generators, the webhook receiver, the publishers. */
  readonly bench: number;
  readonly machine: { busy: number; all: number };
}

/** What the components spent between readings, in CPU seconds, and the wall time between them. */
export interface CpuSpent {
  readonly seconds: number;
  /** The nodes of the configuration measured, in its order. */
  readonly nodes: readonly number[];
  readonly postgres: number | null;
  readonly redis: number | null;
  readonly bench: number;
  /** Busy time of the machine not accounted to the above: other programs, and nodes not being measured. */
  readonly rest: number;
  readonly busy: number;
}

/** What was spent from one reading to the next, with `nodePids` the nodes under measure. */
export function spent(from: CpuReading, to: CpuReading, nodePids: readonly number[]): CpuSpent {
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  const nodes = nodePids.map((pid) => (to.nodes.get(pid) ?? 0) - (from.nodes.get(pid) ?? 0));
  const postgres = delta(from.postgres, to.postgres);
  const redis = delta(from.redis, to.redis);
  const bench = to.bench - from.bench;
  const busy = to.machine.busy - from.machine.busy;
  const known = nodes.reduce((a, b) => a + b, 0) + (postgres ?? 0) + (redis ?? 0) + bench;
  return { seconds: Number(to.at - from.at) / 1e9, nodes, postgres, redis, bench, rest: busy - known, busy };
}

/** Two spans added up (a configuration measured in turns); `undefined` is nothing yet. */
export function addSpent(a: CpuSpent | undefined, b: CpuSpent): CpuSpent {
  if (!a) return b;
  const add = (x: number | null, y: number | null) => (x === null || y === null ? null : x + y);
  return {
    seconds: a.seconds + b.seconds, nodes: a.nodes.map((n, i) => n + b.nodes[i]!), postgres: add(a.postgres, b.postgres),
    redis: add(a.redis, b.redis), bench: a.bench + b.bench, rest: a.rest + b.rest, busy: a.busy + b.busy,
  };
}

/** Reads the CPU time of a cluster's parts: its PostgreSQL server, its Redis and the wxgate node processes. */
export class CpuMeter {
  private constructor(
    /** The PostgreSQL postmaster (its backends are its children); null when it does not run on this machine. */
    private readonly postmaster: number | null,
    private readonly redis: Redis,
    readonly postgresNote: string,
  ) {}

  static async open(databaseUrl: string, redisUrl: string): Promise<CpuMeter> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    let postmaster: number | null = null;
    let note = 'PostgreSQL: its postmaster and backends (/proc)';
    try {
      // A backend's parent is the postmaster; on another machine that pid means nothing here, hence the name check.
      const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const parent = procStat(backend)?.ppid;
      const name = parent ? readFileSync(`/proc/${parent}/comm`, 'utf8').trim() : '';
      if (parent && /^postgres|^postmaster/.test(name)) postmaster = parent;
      else note = 'PostgreSQL: not measured (its server does not run on this machine)';
    } catch {
      note = 'PostgreSQL: not measured (its server does not run on this machine)';
    } finally {
      await client.end();
    }
    return new CpuMeter(postmaster, new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }), note);
  }

  /** Every component now; `nodePids`: all the wxgate nodes running (those not measured are left out of the bench's). */
  async read(nodePids: readonly number[]): Promise<CpuReading> {
    const redis = await this.redisSeconds();
    const byParent = childrenByParent();
    return {
      at: process.hrtime.bigint(),
      nodes: new Map(nodePids.map((pid) => [pid, procStat(pid)?.own ?? 0])),
      postgres: this.postmaster === null ? null : treeSeconds(this.postmaster, byParent),
      redis,
      bench: treeSeconds(process.pid, byParent, new Set(nodePids)),
      machine: machineSeconds(),
    };
  }

  /** Redis' own account of its CPU time (INFO cpu: the server process, all its threads). */
  private async redisSeconds(): Promise<number | null> {
    try {
      const info = await this.redis.info('cpu');
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
      const total = field('used_cpu_sys') + field('used_cpu_user');
      return Number.isFinite(total) ? total : null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}

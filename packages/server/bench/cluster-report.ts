// The cluster bench's report: send_text/s and events/s per configuration, the 2-node/1-node ratios against the aim, CPU per 1,000 by component, and what the CPU says limits it.
import { availableParallelism } from 'node:os';
import type { CpuSpent } from './cpu.ts';

/** 2 nodes should not cost throughput: on one machine's cores they share the CPU, so doubling is not expected here. */
export const AIM = 1;

interface Measured {
  readonly perSecond: number;
  /** Operations the CPU below was spent on. */
  readonly count: number;
  readonly cpu: CpuSpent;
}

export interface ConfigurationFigures {
  readonly nodes: number;
  readonly sends: Measured;
  readonly events: Measured & {
    /** Events ÷ (replay → the last arrival): the receiver's view, before the nodes have written what they sent. */
    readonly arrivedPerSecond: number;
    /** Per measured batch, the leases each node held once the replays were in: instances spread by ownership. */
    readonly leases: ReadonlyArray<ReadonlyArray<number | null>>;
  };
}

const fixed = (v: number, digits = 0) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const label = (nodes: number) => `${nodes} node${nodes > 1 ? 's' : ''}`;
const CORES = availableParallelism();
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** CPU seconds per 1,000 operations and the share of one core over the measured time, a row per component. */
function cpuTable(what: string, runs: ReadonlyArray<{ nodes: number; m: Measured }>, postgresNote: string): string {
  const width = 22;
  const cell = (seconds: number | null | undefined, m: Measured) =>
    (seconds === undefined ? '-' : seconds === null ? 'not measured' : `${fixed((seconds * 1000) / m.count, 3)} s ${fixed((seconds / m.cpu.seconds) * 100).padStart(4)}%`).padStart(width);
  const most = Math.max(...runs.map((r) => r.nodes));
  const rows: Array<[string, (cpu: CpuSpent) => number | null | undefined]> = [
    ...Array.from({ length: most }, (_, i): [string, (cpu: CpuSpent) => number | undefined] => [`wxgate node ${i + 1}`, (cpu) => cpu.nodes[i]]),
    ['wxgate, all nodes', (cpu) => sum(cpu.nodes)],
    ['PostgreSQL', (cpu) => cpu.postgres],
    ['Redis', (cpu) => cpu.redis],
    ['bench (clients, receiver)', (cpu) => cpu.bench],
    ['rest of the machine', (cpu) => cpu.rest],
    ['machine busy', (cpu) => cpu.busy],
  ];
  return [
    `CPU per 1,000 ${what}, and the share of one core over the measured time (the machine has ${CORES} cores)`,
    `${''.padEnd(27)}${runs.map((r) => label(r.nodes).padStart(width)).join('')}`,
    ...rows.map(([name, read]) => `${name.padEnd(27)}${runs.map((r) => cell(read(r.m.cpu), r.m)).join('')}`),
    `(${postgresNote}; Redis: INFO cpu; machine: /proc/stat; bench: the bench process and its children but the nodes; `
      + 'rest: everything else busy on the machine, the other configuration\'s idle nodes included)',
  ].join('\n');
}

/**
 * What the measured CPU says sets the 2-node figure: saturated cores (then a second node can only split them, and
 * what the cluster costs per operation shows directly), or something waited on, which a second node waits on beside
 * the first (`waiting`: what the bench saw of it).
 */
function limitLine(what: string, one: Measured, two: Measured, waiting: string): string {
  const busy = (m: Measured) => m.cpu.busy / m.cpu.seconds / CORES;
  const per = (m: Measured, seconds: number | null) => ((seconds ?? 0) * 1000) / m.count;
  const change = ([
    ['wxgate', per(two, sum(two.cpu.nodes)) - per(one, sum(one.cpu.nodes))],
    ['PostgreSQL', per(two, two.cpu.postgres) - per(one, one.cpu.postgres)],
    ['Redis', per(two, two.cpu.redis) - per(one, one.cpu.redis)],
  ] as const).map(([name, d]) => `${name} ${d >= 0 ? '+' : '−'}${fixed(Math.abs(d), 3)} s`).join(', ');
  const costs = `per 1,000 ${what}, 2 nodes vs 1: ${change}`;
  const others = (m: Measured) => fixed((Math.max(0, m.cpu.rest) / m.cpu.busy) * 100);
  const least = Math.min(busy(one), busy(two));
  const verdict = `${least >= 0.9 ? 'CPU-bound' : least >= 0.75 ? 'nearly CPU-bound' : 'not CPU-bound'} (${fixed(busy(one) * 100)}% and `
    + `${fixed(busy(two) * 100)}% of the ${CORES} cores busy, ${others(one)}% and ${others(two)}% of that other programs')`;
  if (two.perSecond >= one.perSecond) {
    return `${what}: ${verdict}; 2 nodes did more because 1 node waited as well as worked — ${waiting || 'the second node used CPU the first left idle'}; ${costs}`;
  }
  if (least >= 0.75) {
    return `${what}: ${verdict}: a second node on the same cores finds little idle CPU, it splits what there is, so 2 nodes match 1 at best `
      + `less what the cluster costs per operation — ${costs}${waiting ? `; ${waiting}` : ''}`;
  }
  return `${what}: ${verdict}: ${waiting || 'waiting (round trips, commits, locks) sets the pace'} — ${costs}`;
}

/** How far each configuration's writing of its deliveries trailed their arrival (each node writes one group commit at a time). */
function recording(runs: readonly ConfigurationFigures[]): string {
  const lag = (r: ConfigurationFigures) => r.events.count / r.events.perSecond - r.events.count / r.events.arrivedPerSecond;
  return `recording trails sending: each batch was written delivered ${runs.map((r) => `${fixed(lag(r) / r.events.leases.length, 1)} s`).join(' and ')} `
    + 'after its last arrival (each node writes its deliveries one group commit after another: two nodes have two writers)';
}

export function clusterReport(runs: readonly ConfigurationFigures[], postgresNote: string): string {
  const [one, two] = runs as [ConfigurationFigures, ConfigurationFigures];
  const sendRatio = two.sends.perSecond / one.sends.perSecond;
  const eventRatio = two.events.perSecond / one.events.perSecond;
  const spread = (r: ConfigurationFigures) => r.events.leases.map((batch) => batch.map((n) => n ?? '?').join('/')).join(', ');
  const met = (ratio: number) => `aim ≥ ${fixed(AIM, 2)}, the cluster costs no throughput: ${ratio >= AIM ? 'met' : 'NOT met'}`;
  return [
    `${'configuration'.padEnd(16)}${'send_text/s'.padStart(12)}${'events/s'.padStart(12)}${'arrived/s'.padStart(12)}   leases held per node as each batch began`,
    ...runs.map((r) => `${label(r.nodes).padEnd(16)}${fixed(r.sends.perSecond).padStart(12)}${fixed(r.events.perSecond).padStart(12)}`
      + `${fixed(r.events.arrivedPerSecond).padStart(12)}   ${spread(r)}`),
    `${'ratio 2 / 1'.padEnd(16)}${fixed(sendRatio, 2).padStart(12)}${fixed(eventRatio, 2).padStart(12)}`,
    '(events/s: replay → every event written delivered; arrived/s: replay → the last arrival, the nodes still writing what they sent)',
    '',
    cpuTable('send_text', runs.map((r) => ({ nodes: r.nodes, m: r.sends })), postgresNote),
    '',
    cpuTable('events', runs.map((r) => ({ nodes: r.nodes, m: r.events })), postgresNote),
    '',
    `send_text/s, 2 nodes / 1 node: ${fixed(sendRatio, 2)} (${met(sendRatio)})`,
    `events/s, 2 nodes / 1 node: ${fixed(eventRatio, 2)} (${met(eventRatio)})`,
    `(it will not double here: both nodes, PostgreSQL, Redis and the bench share this machine's ${CORES} cores)`,
    limitLine('send_text', one.sends, two.sends, ''),
    limitLine('events', one.events, two.events, recording(runs)),
  ].join('\n');
}

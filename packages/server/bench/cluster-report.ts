// The cluster bench's report: send_text/s and events/s per configuration, the 2-node/1-node ratios against the aim, CPU per 1,000 by component, what PostgreSQL's backends waited on, and what that says limits it.
import { availableParallelism } from 'node:os';
import type { CpuSpent } from './cpu.ts';
import { WAITING_FOR_CLIENT, type Waits } from './pg-waits.ts';

/** 2 nodes should not cost throughput: on one machine's cores they share the CPU, so doubling is not expected here. */
export const AIM = 1;

interface Measured {
  readonly perSecond: number;
  /** Operations the CPU below was spent on. */
  readonly count: number;
  readonly cpu: CpuSpent;
  readonly waits: Waits;
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
const pct = (share: number) => `${fixed(share * 100)}%`;
/** Share of the machine's cores busy, and of one core for the busiest node. */
const busy = (m: Measured) => m.cpu.busy / m.cpu.seconds / CORES;
const busiestNode = (m: Measured) => Math.max(...m.cpu.nodes) / m.cpu.seconds;
const mean = (m: Measured, state: string) => m.waits.states.find(([s]) => s === state)?.[1] ?? 0;
const locks = (m: Measured) => m.waits.states.filter(([s]) => s.startsWith('Lock:'));

/** CPU seconds per 1,000 operations and the share of one core over the measured time, a row per component. */
function cpuTable(what: string, runs: ReadonlyArray<{ nodes: number; m: Measured }>, postgresNote: string): string {
  const width = 22;
  const cell = (seconds: number | null | undefined, m: Measured) =>
    (seconds === undefined ? '-' : seconds === null ? 'not measured' : `${fixed((seconds * 1000) / m.count, 3)} s ${pct(seconds / m.cpu.seconds).padStart(4)}`).padStart(width);
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

/** Mean PostgreSQL client backends in each state, every measure and configuration side by side. */
function waitsTable(runs: readonly ConfigurationFigures[]): string {
  const columns = runs.flatMap((r) => [[`send_text, ${label(r.nodes)}`, r.sends], [`events, ${label(r.nodes)}`, r.events]] as const)
    .sort(([a], [b]) => (a.startsWith('send') === b.startsWith('send') ? 0 : a.startsWith('send') ? -1 : 1));
  const states = [...new Set(columns.flatMap(([, m]) => m.waits.states.filter(([, n]) => n >= 0.05).map(([s]) => s)))];
  const width = 19;
  return [
    'PostgreSQL client backends, mean number in each state over the measured time (pg_stat_activity every 50 ms)',
    `${''.padEnd(42)}${columns.map(([name]) => name.padStart(width)).join('')}`,
    ...states.map((state) => `${state.padEnd(42)}${columns.map(([, m]) => fixed(mean(m, state), 2).padStart(width)).join('')}`),
  ].join('\n');
}

/**
 * What the measurements say sets the 2-node figure: one node's JavaScript thread, saturated cores, PostgreSQL locks
 * the requests queue for whichever node serves them, or the nodes' writing of what they delivered.
 */
function limitLine(what: string, one: Measured, two: Measured, inFlight: number, extra: string): string {
  const per = (m: Measured, seconds: number | null) => ((seconds ?? 0) * 1000) / m.count;
  const change = ([
    ['wxgate', per(two, sum(two.cpu.nodes)) - per(one, sum(one.cpu.nodes))],
    ['PostgreSQL', per(two, two.cpu.postgres) - per(one, one.cpu.postgres)],
    ['Redis', per(two, two.cpu.redis) - per(one, one.cpu.redis)],
  ] as const).map(([name, d]) => `${name} ${d >= 0 ? '+' : '−'}${fixed(Math.abs(d), 3)} s`).join(', ');
  const others = (m: Measured) => pct(Math.max(0, m.cpu.rest) / m.cpu.busy);
  const machine = `the ${CORES} cores ${pct(busy(one))} and ${pct(busy(two))} busy (${others(one)} and ${others(two)} of that other programs')`;
  const reasons: string[] = [];
  if (busiestNode(one) >= 0.85) {
    reasons.push(`1 node is one JavaScript thread and it kept ${pct(busiestNode(one))} of a core busy: it cannot use the other core, 2 nodes can`);
  }
  const lockWaits = sum(locks(one).map(([, n]) => n));
  if (lockWaits >= 1) {
    const top = locks(one)[0]![0];
    const of = inFlight > 0 ? `of the ${inFlight} ${what} in flight, ` : '';
    reasons.push(`PostgreSQL: ${of}${fixed(lockWaits, 1)} on average (1 node; ${fixed(sum(locks(two).map(([, n]) => n)), 1)} with 2) `
      + `waited on a lock, mostly ${top}, while ${fixed(mean(one, WAITING_FOR_CLIENT), 1)} sat in an open transaction waiting for their node: `
      + 'they queue for it whichever node serves them, so a second node adds nothing there');
  }
  if (busy(two) >= 0.85 || busy(one) >= 0.85) reasons.push(`the cores are nearly all busy: a second node on them adds no CPU, it splits what there is`);
  if (extra) reasons.push(extra);
  if (reasons.length === 0) reasons.push('no single limit stands out: the cores are not saturated and PostgreSQL seldom waits on a lock');
  return `${what} (${machine}): ${reasons.join('; ')}. Per 1,000 ${what}, 2 nodes vs 1: ${change}`;
}

/** How far the writing of the deliveries trailed their arrival, when that was a real part of the time. */
function recording(runs: readonly ConfigurationFigures[]): string {
  const lag = (r: ConfigurationFigures) => 1 - r.events.perSecond / r.events.arrivedPerSecond;
  if (Math.max(...runs.map(lag)) < 0.1) return '';
  return `writing the deliveries trailed sending them by ${runs.map((r) => pct(lag(r))).join(' and ')} of the time (each node writes its deliveries `
    + 'one group commit after another: two nodes have two writers)';
}

export function clusterReport(runs: readonly ConfigurationFigures[], postgresNote: string, inFlight: number): string {
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
    waitsTable(runs),
    '',
    `send_text/s, 2 nodes / 1 node: ${fixed(sendRatio, 2)} (${met(sendRatio)})`,
    `events/s, 2 nodes / 1 node: ${fixed(eventRatio, 2)} (${met(eventRatio)})`,
    `(it will not double here: both nodes, PostgreSQL, Redis and the bench share this machine's ${CORES} cores)`,
    limitLine('send_text', one.sends, two.sends, inFlight, ''),
    limitLine('events', one.events, two.events, 0, recording(runs)),
  ].join('\n');
}

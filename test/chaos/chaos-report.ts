import type { StoreRunReport } from './chaos-run.js';

function times(values: number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= 4) return `${sorted.join(', ')} ms`;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${values.length}, median ${median} ms, max ${sorted.at(-1)} ms`;
}

/** Whether a store's run found what the chaos run exists to find. */
export function failed(report: StoreRunReport): boolean {
  const { verdict, producer } = report;
  const bad = verdict.lost.length + verdict.doubleRuns.length + verdict.orderViolations.length;
  return bad > 0 || producer.hostileAccepted.length > 0 || report.unfinished > 0;
}

export function formatReport(report: StoreRunReport): string {
  const { verdict, producer } = report;
  const partitioned = producer.scheduled.filter((task) => task.partition !== undefined).length;
  const lines = [
    `${report.store}: ${report.scheduled} tasks (${partitioned} in partitions), ${verdict.runs} runs, ${report.seconds.toFixed(0)} s`,
    `  kills ${report.kills}, pauses ${report.pauses}, outages ${report.outages.length} (${report.outages.join(', ')})`,
    `  adds failed ${producer.addErrors} (tasks found stored all the same: ${producer.storedAnyway}); ` +
      `hostile input refused ${producer.hostileRefused}/${producer.hostileRefused + producer.hostileAccepted.length}`,
    `  lost ${verdict.lost.length}, run twice while leased ${verdict.doubleRuns.length}, ` +
      `order violations ${verdict.orderViolations.length}, unfinished ${report.unfinished}`,
    `  take-over after kill/pause: ${times(verdict.takeOvers)}`,
    `  first start after an outage: ${times(verdict.recoveries)}`,
  ];
  const examples = [
    ...verdict.lost.slice(0, 5).map((id) => `lost: ${id}`),
    ...verdict.doubleRuns.slice(0, 5).map((d) => `run twice: ${d.id} ${JSON.stringify([d.first, d.second])}`),
    ...verdict.orderViolations.slice(0, 5).map((v) => `order: ${JSON.stringify(v)}`),
    ...producer.hostileAccepted.map((what) => `hostile input accepted: ${what}`),
  ];
  return [...lines, ...examples.map((line) => `  ! ${line}`)].join('\n');
}

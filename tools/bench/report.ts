// Benchmark results as data (one row per measurement, grouped by product issue) and their rendering to
// bench-results/latest.json and latest.md: one table per issue, each row with the issue's aim and whether
// the measurement meets it.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Summary } from './timing';

export interface BenchRow {
  /** Product issue the measurement answers (2 search, 3 model, 4 few-shot, 5 explorer, 12 scale-out training). */
  issue: number;
  /** What was measured, with its shape/size ("search top-10, 100k x 256"). */
  name: string;
  /** Human-readable result ("p50 12 ms, p95 14 ms (n=20)", "35 items/s"). */
  result: string;
  /** Raw numbers behind `result`. */
  summary?: Summary;
  value?: number;
  unit?: string;
  /** The aim stated in the issue, if one applies. */
  aim?: string;
  /** true / false when an aim applies and was checked; null when not applicable or not measured. */
  met?: boolean | null;
  note?: string;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memGiB: number;
  loadAvg1m: number;
  node: string;
  tfjs: string;
  platform: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  mode: 'full' | 'quick';
  machine: MachineInfo;
  rows: BenchRow[];
}

/** How a wall-time aim reads on CPU time (other jobs share this machine). */
export function cpuAimNote(s: Summary, limitMs: number): string {
  if (s.cpuP50Ms === undefined) return '';
  return `CPU time p50 ${s.cpuP50Ms.toFixed(0)} ms ${s.cpuP50Ms < limitMs ? 'meets' : 'misses'} the aim: an indication for an idle machine`;
}

export function machineInfo(tfjsVersion: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() || 'unknown',
    cores: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1m: Math.round(os.loadavg()[0] * 100) / 100,
    node: process.version,
    tfjs: tfjsVersion,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

const ISSUE_TITLES: Record<number, string> = {
  2: 'Search and ingest (issue 2)',
  3: 'Training, kernels and inference (issue 3)',
  4: 'Linear probe and fine-tuning (issue 4)',
  5: 'Explorer projections (issue 5)',
  13: 'Every core: ingest, search, encoders (issue 13)',
};

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    '## Benchmarks',
    '',
    `Measured by \`npm run bench\`${r.mode === 'quick' ? ' --quick (smoke mode: fewer repeats, smaller sizes)' : ''} on ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC: ` +
      `${m.cores} cores (${m.cpuModel}), ${m.memGiB} GiB, ${m.platform}, Node ${m.node}, tfjs ${m.tfjs}; load average at start ${m.loadAvg1m}. ` +
      'Timings are after warm-up; p50/p95 or mean ± sd over n runs.',
    '',
  ];
  const issues = [...new Set(r.rows.map((x) => x.issue))].sort((a, b) => a - b);
  for (const issue of issues) {
    lines.push(`### ${ISSUE_TITLES[issue] ?? `Issue ${issue}`}`, '', '| measurement | result | aim (from the issue) | met | note |', '|---|---|---|---|---|');
    for (const row of r.rows.filter((x) => x.issue === issue)) {
      const met = row.met === true ? 'yes' : row.met === false ? 'no' : '';
      lines.push(`| ${cell(row.name)} | ${cell(row.result)} | ${cell(row.aim)} | ${met} | ${cell(row.note)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export async function writeReport(dir: string, r: BenchReport): Promise<{ json: string; md: string }> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  await writeFile(json, JSON.stringify(r, null, 2) + '\n');
  await writeFile(md, renderMarkdown(r) + '\n');
  return { json, md };
}

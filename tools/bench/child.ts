// Runs a benchmark child process (node --import tsx <script> <json job>) with a wall-clock cap and
// collects the JSON lines it printed, including those printed before it was killed.
import { spawn } from 'node:child_process';

export interface ChildResult<L> {
  lines: L[];
  timedOut: boolean;
  exitCode: number | null;
  stderrTail: string;
  wallMs: number;
}

export function runChild<L>(script: string, job: unknown, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<ChildResult<L>> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: L[] = [];
    let buf = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line.startsWith('{')) {
          try {
            lines.push(JSON.parse(line) as L);
          } catch {
            /* not a result line */
          }
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ lines, timedOut, exitCode: code, stderrTail: err, wallMs: Date.now() - t0 });
    });
  });
}

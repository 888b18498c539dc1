import * as fs from 'fs';

// Runs after every journey: a panic on the server fails the run even when no page showed it
// (a worker thread's panic is caught by the runtime and the page may still load).
export default function checkServerLog() {
  const file = process.env.FIELDWORK_E2E_SERVER_LOG;
  if (!file || !fs.existsSync(file)) {
    throw new Error(`the server's log was not written (${file})`);
  }
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const panics = lines.flatMap((line, i) => (line.includes('panicked at') ? [lines.slice(i, i + 2 + backtraceLength(lines, i + 2)).join('\n')] : []));
  if (panics.length > 0) {
    throw new Error(`the server panicked ${panics.length} time(s) during the journeys (log: ${file}):\n${panics.join('\n')}`);
  }
  console.log(`server log: no panics (${file})`);
}

/// How many lines from `start` are the backtrace Rust printed after a panic's message.
function backtraceLength(lines: string[], start: number): number {
  let n = 0;
  while (start + n < lines.length && /^(stack backtrace:|\s+\d+: |\s+at )/.test(lines[start + n])) n++;
  return n;
}

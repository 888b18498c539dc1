import * as fs from 'fs';

// Runs after every journey: a panic on the server fails the run even when no page showed it
// (a worker thread's panic is caught by the runtime and the page may still load).
export default function checkServerLog() {
  const file = process.env.FIELDWORK_E2E_SERVER_LOG;
  if (!file || !fs.existsSync(file)) {
    throw new Error(`the server's log was not written (${file})`);
  }
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const panics = lines.flatMap((line, i) => (line.includes('panicked at') ? [lines.slice(i, i + 2).join('\n')] : []));
  if (panics.length > 0) {
    throw new Error(`the server panicked ${panics.length} time(s) during the journeys (log: ${file}):\n${panics.join('\n')}`);
  }
  console.log(`server log: no panics (${file})`);
}

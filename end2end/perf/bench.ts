import { APIRequestContext, expect } from '@playwright/test';
import * as fs from 'fs';

// What the phone bench's specs share: the demo rep they measure as, and the bench table's
// rows (tab-separated: bench, name, engine, n, p50, p95, p99, per second, peak bytes — the
// lines `cargo xtask bench` reads from FIELDWORK_BENCH_OUT).

// Signs the demo rep in through the API; the session cookie lands in `request`'s jar.
export async function signInRep(request: APIRequestContext, baseURL: string) {
  const r = await request.post('/api/v1/auth/login', {
    data: { email: 'rep1@fieldwork.demo', password: 'fieldwork-demo' },
    headers: { Origin: baseURL },
  });
  expect(r.status()).toBe(200);
  return r;
}

export function appendRows(rows: (string | number)[][]) {
  const out = process.env.FIELDWORK_BENCH_OUT;
  if (out && rows.length > 0) fs.appendFileSync(out, rows.map((r) => `${r.join('\t')}\n`).join(''));
}

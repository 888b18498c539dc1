import { defineConfig, devices } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

// Route the service worker's own requests too, so a test can take its network away (Chromium).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

// The server runs the release build against a fresh SQLite database seeded with the demo.
const port = 3107;
const db = path.join(os.tmpdir(), `fieldwork-e2e-${Date.now()}.db`);

// Where the server's file mailer writes; the journeys read the emails from here (helpers.ts).
const mailDir = path.join(os.tmpdir(), `fieldwork-e2e-mail-${port}`);

const chromium = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

// The server's log: the run fails if it shows a panic (server-log.ts), even one the pages hid.
const serverLog = path.join(os.tmpdir(), `fieldwork-e2e-server-${Date.now()}.log`);
process.env.FIELDWORK_E2E_SERVER_LOG = serverLog;

// The release build by default. FIELDWORK_E2E_SERVER names another (a debug build's panics name
// the reactive value and the line that read it; a release build's say only that one was read).
const server = process.env.FIELDWORK_E2E_SERVER ?? '../target/release/fieldwork';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalTeardown: './server-log.ts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'phone', grepInvert: /@desktop/, use: { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, launchOptions: chromium } },
    { name: 'desktop', grepInvert: /@phone/, use: { viewport: { width: 1366, height: 768 }, launchOptions: chromium } },
  ],
  webServer: {
    command: `exec ${server} serve --demo > ${serverLog} 2>&1`,
    cwd: __dirname,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      // A panic's log entry carries the calls that led to it.
      RUST_BACKTRACE: '1',
      DATABASE_URL: `sqlite://${db}`,
      FIELDWORK_ADDR: `127.0.0.1:${port}`,
      FIELDWORK_SITE_ROOT: path.join(__dirname, '..', 'target', 'site'),
      FIELDWORK_LOGIN_MAX_FAILURES: '50',
      FIELDWORK_PHOTO_DIR: path.join(os.tmpdir(), `fieldwork-e2e-photos-${Date.now()}`),
      FIELDWORK_MAIL_DIR: mailDir,
      FIELDWORK_JOBS_INTERVAL_MS: '300',
    },
  },
});

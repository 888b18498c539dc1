import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// The phone-speed measurements (end2end/perf/): the end-to-end suite's server and browser,
// one project (the spec sets up its own phone), no retries. Run by `cargo xtask bench`.
export default defineConfig({
  ...base,
  testDir: './perf',
  outputDir: './perf-results',
  retries: 0,
  projects: [{ name: 'phone-speed', use: { launchOptions: base.use?.launchOptions } }],
});

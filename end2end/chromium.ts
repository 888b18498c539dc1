// Debian's Chromium and the flags it needs on these machines (no sandbox, no GPU, nothing
// fetched in the background): the end-to-end suite and the phone bench's Lighthouse use it.
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

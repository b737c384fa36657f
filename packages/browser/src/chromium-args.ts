/**
 * Flags for every headless Chromium the platform starts (the services' Sobrus browsers, the tests' browsers): no
 * sandbox (containers run as root), no GPU, no /dev/shm limit, and none of the background connections (updates,
 * sync, component downloads) that a closed network refuses.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

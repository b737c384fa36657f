export { BrowserHolder, type BrowserHolderOptions } from './browser-holder.js';
export { CHROMIUM_ARGS } from './chromium-args.js';

#!/usr/bin/env node
// Entry of the `pharma` command: the compiled CLI lives in dist/ (built by `npm run build`).
import '../dist/main.js';

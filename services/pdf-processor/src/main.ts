import { runService } from '@pharma/shared/fastify';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runService({ service: 'pdf-processor', loadConfig, buildApp });

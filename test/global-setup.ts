import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { dropTemplates, templatePlace } from './support/seeded-templates.js';

/**
 * Once for the whole run: names the seeded templates the workers build
 * (test/support/seeded-templates.ts), and removes them when the run ends.
 */
export default function setup(project: TestProject) {
  const run = randomBytes(4).toString('hex');
  project.provide('templateRun', run);
  return async () => {
    rmSync(templatePlace(run).dir, { recursive: true, force: true });
    const server = process.env.TEST_POSTGRES_URL;
    if (server) await dropTemplates(server, run);
  };
}

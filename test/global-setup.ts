import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import {
  dropAbandonedTemplates,
  dropTemplates,
  newTemplateRun,
  templatePlace,
} from './support/seeded-templates.js';

/** Runs take under an hour; templates of one begun this long ago were left by a killed run. */
const ABANDONED_AFTER_MS = 6 * 3_600_000;

/**
 * Once for the whole run: names the seeded templates the workers build
 * (test/support/seeded-templates.ts), and removes them when the run ends, and those that runs
 * killed before their end left behind.
 */
export default async function setup(project: TestProject) {
  await dropAbandonedTemplates(process.env.TEST_POSTGRES_URL, ABANDONED_AFTER_MS);
  const run = newTemplateRun();
  project.provide('templateRun', run);
  return async () => {
    rmSync(templatePlace(run).dir, { recursive: true, force: true });
    const server = process.env.TEST_POSTGRES_URL;
    if (server) await dropTemplates(server, run);
  };
}

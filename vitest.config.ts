import { defineConfig } from 'vitest/config';

/**
 * Tests that start something: an HTTP server (the OneLogin emulator, a fake server, s3rver), a child process, or a CDK
 * synth. Every other test file is pure logic and belongs to the unit project, whose setup file refuses servers and
 * child processes, so a misfiled test fails instead of slowing the fast run down.
 */
const INTEGRATION_TESTS = [
  'test/adapters/s3-*.test.ts',
  'test/cdk/**/*.test.ts',
  'test/cli/cli-console.test.ts',
  'test/cli/cli-guards.test.ts',
  'test/cli/cli-interactive.test.ts',
  'test/cli/cli-process.test.ts',
  'test/cli/cli-profiles.test.ts',
  'test/cli/cli-pty.test.ts',
  'test/cli/cli-stop.test.ts',
  'test/cli/cli-undo-process.test.ts',
  'test/cli/report-folder.test.ts',
  'test/cli/undo-e2e.test.ts',
  'test/emulator/**/*.test.ts',
  'test/handlers/accounts.test.ts',
  'test/handlers/aws-deps.test.ts',
  'test/handlers/finalize.test.ts',
  'test/handlers/plan-binding.test.ts',
  'test/handlers/undo-plan-binding.test.ts',
  'test/handlers/step.test.ts',
  'test/hardening/corpus.test.ts',
  'test/hardening/fault-matrix-*.test.ts',
  'test/hardening/property-invariants.test.ts',
  'test/hardening/security.test.ts',
  'test/integ/**/*.test.ts',
  'test/local/**/*.test.ts',
  'test/node24/**/*.test.ts',
  'test/onelogin/acceptance-bulk-delete.test.ts',
  'test/onelogin/client-edge-cases.test.ts',
  'test/onelogin/client-with-emulator.test.ts',
  'test/onelogin/no-secrets-in-errors.test.ts',
  'test/onelogin/onelogin-user-directory.test.ts',
  'test/onelogin/openapi-*.test.ts',
  'test/onelogin/user-record-*.test.ts',
  'test/openapi/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/plan/*-emulator.test.ts',
  'test/reports/*-browser.test.ts',
  'test/reports/*-libreoffice.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_DEV: 'true',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION_TESTS,
          setupFiles: ['test/unit-project-guard.ts'],
        },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION_TESTS } },
    ],
  },
});

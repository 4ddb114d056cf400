// A loopback OneLogin admin API (tokens, Users v1/v2, roles, rate limit) faithful to what docs/onelogin-api-notes.md
// says of OneLogin and to OneLogin's OpenAPI document (test/fixtures/openapi; its deliberate deviations are listed in
// test/openapi), with seeded faults, switches and test controls, for tests, the demo and benchmarks.

import { startEmulatorServer } from './emulator-server.ts';
import { EmulatorState } from './emulator-state.ts';
import type { EmulatorOptions, OneLoginEmulator } from './emulator-types.ts';
import { FaultPlan } from './fault-plan.ts';
import { RateLimitWindow } from './rate-limit-window.ts';
import { userControls } from './user-controls.ts';
import { copyUser } from './user-copy.ts';

export async function createOneLoginEmulator(options: EmulatorOptions): Promise<OneLoginEmulator> {
  const state = new EmulatorState(options);
  const server = await startEmulatorServer(state, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    url: state.url,
    stats: () => structuredClone(state.stats),
    resetStats: () => {
      state.resetStats();
    },
    users: () => state.store.all().map(copyUser),
    addUsers: (users) => state.store.add(users.map(copyUser)),
    roles: () => state.roles.all(),
    setFaults: (config) => {
      state.faults = config ? new FaultPlan(config) : undefined;
    },
    setRateLimit: (config) => {
      state.rateLimit = config ? new RateLimitWindow(config, state.now()) : undefined;
    },
    startRateLimitBurst: (seconds) => {
      state.startBurst(seconds);
    },
    revokeCredentials: () => {
      state.revoked = true;
      state.tokens.revoke();
    },
    ...userControls(state),
    close: async () => {
      state.cancelTimers();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
